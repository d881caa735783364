import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitBlobSha } from './github';
import { gitMode, TreeHasher } from './git-tree';
import { readTar } from './tar';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function git(dir: string, ...args: string[]): Buffer {
  return execFileSync('git', ['-c', 'core.quotepath=off', ...args], {
    cwd: dir, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' },
  });
}

/** A repository whose names sort differently as bytes, as UTF-16 and with a tree's '/'. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'archivelens-tree-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    '_config.yml': 'title: x\n',
    '_posts/2024-01-02-a.md': '---\ntitle: a\n---\n',
    '_posts/2024-01-02-a.md.bak': 'b',
    '_posts/2024-01-02-a-b.md': 'c',
    '_posts/2024-01-02-a/inner.md': 'a folder named like a file',
    '_posts/2024-01-03-中文標題.md': '---\ntitle: 中文\n---\n',
    '_posts/2024-01-03-😀 emoji.md': 'astral plane',
    '_posts/2024-01-03-\uff5e wide.md': 'above the surrogates in UTF-16',
    'archived/2023-05-01/2023-05-01-x.md': 'x',
    'archived/2023-05-01/2023-05-01-y.md': 'y',
    'archived/2023-05-02/2023-05-02-z.md': 'z',
    'archived/2023-05-02-flat.md': 'flat in archived',
    'archived/deep/er/still/2023-06-01-d.md': 'deep',
    'other/ignored.md': 'not a folder we follow',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  chmodSync(join(dir, 'archived/2023-05-01/2023-05-01-y.md'), 0o755);
  symlinkSync('2023-05-01-x.md', join(dir, 'archived/2023-05-01/link.md'));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'c');
  return dir;
}

/**
 * Feeds `git archive`'s tarball (GitHub's tarballs are `git archive`'s) to a
 * hasher, as the sync does; `later`: each file's sha as a promise settled
 * only after the whole tarball was read, the last file's first (as a sync's
 * parse gives them, a batch behind).
 */
async function hashTarball(dir: string, folders: string[], later = false): Promise<Record<string, string>> {
  const tar = git(dir, 'archive', '--prefix=o-r-abc/', 'HEAD');
  const hasher = new TreeHasher((d) => folders.some((f) => d === f || d.startsWith(`${f}/`)));
  const settle: (() => void)[] = [];
  for await (const entry of readTar((async function* () { yield new Uint8Array(tar); })())) {
    const path = entry.path.slice(entry.path.indexOf('/') + 1);
    if (entry.type === 'directory') continue;
    if (entry.type === 'file') {
      const sha = gitBlobSha(entry.data!);
      hasher.blob(path, gitMode(entry.mode, false), later ? new Promise((resolve) => settle.unshift(() => resolve(sha))) : sha);
    } else if (entry.link !== undefined) hasher.blob(path, gitMode(entry.mode, true), gitBlobSha(new TextEncoder().encode(entry.link)));
    else hasher.unknown(path);
  }
  const trees = hasher.finish();
  for (const give of settle) give();
  return trees;
}

/** Git's own shas of the trees inside the folders. */
function gitTrees(dir: string, folders: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of git(dir, 'ls-tree', '-r', '-t', '-z', 'HEAD').toString().split('\0').filter(Boolean)) {
    const [meta, path] = [line.slice(0, line.indexOf('\t')), line.slice(line.indexOf('\t') + 1)];
    const [, type, sha] = meta.split(' ');
    if (type === 'tree' && folders.some((f) => path === f || path.startsWith(`${f}/`))) out[path] = sha!;
  }
  return out;
}

describe('tree shas computed from a tarball', () => {
  it('are the shas git gives every tree inside the followed folders', async () => {
    const dir = repository();
    const folders = ['_posts', 'archived'];
    const computed = await hashTarball(dir, folders);
    expect(Object.keys(computed).length).toBe(8);
    expect(computed).toEqual(gitTrees(dir, folders));
  });

  it('are the same when the files\' shas come after the tarball was read, in another order', async () => {
    const dir = repository();
    const folders = ['_posts', 'archived'];
    expect(await hashTarball(dir, folders, true)).toEqual(gitTrees(dir, folders));
  });

  it('leave out a tree holding a file that could not be read, and the trees around it', async () => {
    const hasher = new TreeHasher((d) => d === 'archived' || d.startsWith('archived/'));
    hasher.blob('archived/a/x.md', '100644', 'f'.repeat(40));
    hasher.blob('archived/b/y.md', '100644', null);
    hasher.blob('archived/c/z.md', '100644', 'e'.repeat(40));
    const trees = await hasher.finish();
    expect(Object.keys(trees).sort()).toEqual(['archived/a', 'archived/c']);
  });

  it('leave out a tree holding a file whose sha came as unknown after it closed, and the trees around it', async () => {
    const hasher = new TreeHasher((d) => d === 'archived' || d.startsWith('archived/'));
    let unknown!: (sha: string | null) => void;
    hasher.blob('archived/a/x.md', '100644', 'f'.repeat(40));
    hasher.blob('archived/b/y.md', '100644', new Promise((resolve) => (unknown = resolve)));
    hasher.blob('archived/c/z.md', '100644', Promise.resolve('e'.repeat(40)));
    const trees = hasher.finish();
    unknown(null);
    expect(Object.keys(await trees).sort()).toEqual(['archived/a', 'archived/c']);
  });

  it('leave out a tree whose entries did not come together', async () => {
    const hasher = new TreeHasher((d) => d === 'archived' || d.startsWith('archived/'));
    hasher.blob('archived/a/x.md', '100644', 'f'.repeat(40));
    hasher.blob('archived/b/y.md', '100644', 'e'.repeat(40));
    hasher.blob('archived/a/z.md', '100644', 'd'.repeat(40));
    const trees = await hasher.finish();
    expect(Object.keys(trees)).toEqual(['archived/b']);
  });
});
