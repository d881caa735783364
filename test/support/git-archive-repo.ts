// A real git repository built from ../shared/archives/society-posts.tar.gz,
// the NodeBE4/society archive at one commit, that tests can change with
// further commits (add, edit, move `_posts/` → `archived/`, delete).
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ARCHIVES, SOCIETY_TARBALL } from './archives';

const TEMPLATE = join(tmpdir(), 'archivelens-society-git-v1');
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Archive Bot', GIT_AUTHOR_EMAIL: 'bot@example.org',
  GIT_COMMITTER_NAME: 'Archive Bot', GIT_COMMITTER_EMAIL: 'bot@example.org',
  GIT_AUTHOR_DATE: '2026-03-23T03:18:00Z', GIT_COMMITTER_DATE: '2026-03-23T03:18:00Z',
};

// No automatic gc or maintenance: with 15,000 loose objects a commit starts
// `git gc --auto` detached in the background, which packs and deletes
// objects while another test process copies the repository.
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'core.quotepath=off', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', ...args], {
    cwd: dir, env: GIT_ENV, maxBuffer: 512 * 1024 * 1024,
  }).toString();
}

/** `git` without blocking this process meanwhile (the local GitHub answers other requests while it runs). */
export function gitAsync(dir: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-c', 'core.quotepath=off', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', ...args], { cwd: dir, env: GIT_ENV, maxBuffer: 512 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout.toString()),
    );
  });
}

/**
 * Builds a template repository once per machine. Test files run in parallel
 * processes: each builds in a folder of its own and moves it into place in
 * one rename, so nobody ever reads a half-built template; a process that
 * loses the race throws its copy away.
 */
function buildOnce(target: string, build: (dir: string) => void): string {
  if (existsSync(join(target, '.ready'))) return target;
  const dir = mkdtempSync(`${target}-building-`);
  try {
    build(dir);
    writeFileSync(join(dir, '.ready'), '');
    // A stale, unfinished template (no .ready) from a killed run is replaced.
    if (existsSync(target) && !existsSync(join(target, '.ready'))) rmSync(target, { recursive: true, force: true });
    renameSync(dir, target);
  } catch (error) {
    if (!existsSync(join(target, '.ready'))) throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return target;
}

function buildTemplate(): void {
  buildOnce(TEMPLATE, (dir) => {
    execFileSync('tar', ['-xzf', SOCIETY_TARBALL, '-C', dir]);
    cpSync(join(ARCHIVES, 'config/NodeBE4-society/_config.yml'), join(dir, '_config.yml'));
    writeFileSync(join(dir, 'README.md'), '# society\n');
    git(dir, 'init', '-q', '-b', 'master');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'society archive');
  });
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The video id copy `k` of the scale archive uses instead of `id`: same shape, another last character. */
export function derivedVideoId(id: string, k: number): string {
  const at = ID_ALPHABET.indexOf(id[10]!);
  return id.slice(0, 10) + ID_ALPHABET[(at + k) % ID_ALPHABET.length];
}

/**
 * The society archive repeated `copies` times (8: ≈122,000 posts, the scale
 * of a reader who follows several NodeBE4 archives). Copy k lives under
 * `archived/copy-k/` with every video id derived (`derivedVideoId`), so its
 * posts are distinct posts of distinct videos, with real text.
 */
function buildScaledTemplate(copies: number, heavy: boolean): string {
  buildTemplate();
  return buildOnce(join(tmpdir(), `archivelens-society-x${copies}${heavy ? '-heavy' : ''}-git-v1`), (dir) => fillScaled(dir, copies, heavy));
}

/**
 * A post of a heavier archive: its description (the post's `<div>`) three
 * times over. Real archives' posts average about three times society's
 * size (long articles beside video descriptions).
 */
export function heavier(text: string): string {
  return text.replace(/<div>([\s\S]*?)<\/div>/, (_, inner: string) => `<div>${inner}${inner}${inner}</div>`);
}

function fillScaled(dir: string, copies: number, heavy: boolean): void {
  execFileSync('tar', ['-xzf', SOCIETY_TARBALL, '-C', dir]);
  cpSync(join(ARCHIVES, 'config/NodeBE4-society/_config.yml'), join(dir, '_config.yml'));
  const posts = git(TEMPLATE, 'ls-files', '-z', '_posts', 'archived').split('\0').filter((p) => p.endsWith('.md'));
  if (heavy) for (const path of posts) writeFileSync(join(dir, path), heavier(readFileSync(join(dir, path), 'utf8')));
  for (let k = 1; k < copies; k++) {
    for (const path of posts) {
      let text = readFileSync(join(TEMPLATE, path), 'utf8').replace(/(watch\?v=|youtu\.be\/)([A-Za-z0-9_-]{11})/g, (_, prefix: string, id: string) => prefix + derivedVideoId(id, k));
      if (heavy) text = heavier(text);
      const target = join(dir, 'archived', `copy-${k}`, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  git(dir, 'init', '-q', '-b', 'master');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `society archive, ${copies} copies${heavy ? ', descriptions three times longer' : ''}`);
}

export class ArchiveRepo {
  private constructor(readonly dir: string) {}

  /** A fresh copy of the society repository, in its own temp folder. */
  static society(): ArchiveRepo {
    buildTemplate();
    const dir = mkdtempSync(join(tmpdir(), 'archivelens-repo-'));
    cpSync(join(TEMPLATE, '.git'), join(dir, '.git'), { recursive: true });
    git(dir, 'checkout', '-q', '-f', 'master');
    return new ArchiveRepo(dir);
  }

  /** The scale archive (see buildScaledTemplate), shared read-only: do not commit to it. */
  static scaled(copies = 8, heavy = false): ArchiveRepo {
    return new ArchiveRepo(buildScaledTemplate(copies, heavy));
  }

  /** A repository with just these files (for small fixtures). */
  static withFiles(files: Record<string, string>): ArchiveRepo {
    const dir = mkdtempSync(join(tmpdir(), 'archivelens-repo-'));
    git(dir, 'init', '-q', '-b', 'master');
    const repo = new ArchiveRepo(dir);
    repo.commit('initial', { write: files });
    return repo;
  }

  head(): string {
    return git(this.dir, 'rev-parse', 'HEAD').trim();
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  /** A file as an earlier commit had it. */
  readAt(commit: string, path: string): string {
    return git(this.dir, 'show', `${commit}:${path}`);
  }

  files(prefix = ''): string[] {
    return git(this.dir, 'ls-files', '-z', ...(prefix ? [prefix] : [])).split('\0').filter(Boolean);
  }

  commit(message: string, change: { write?: Record<string, string | Uint8Array>; move?: Record<string, string>; remove?: string[] }): string {
    for (const [path, content] of Object.entries(change.write ?? {})) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
    for (const [from, to] of Object.entries(change.move ?? {})) {
      mkdirSync(dirname(join(this.dir, to)), { recursive: true });
      renameSync(join(this.dir, from), join(this.dir, to));
    }
    for (const path of change.remove ?? []) rmSync(join(this.dir, path));
    git(this.dir, 'add', '-A');
    git(this.dir, 'commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  /** A new commit whose files are those of an earlier one (undoes what a test changed). */
  restore(commit: string, message = 'restore'): string {
    git(this.dir, 'read-tree', '--reset', '-u', commit);
    git(this.dir, 'commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
