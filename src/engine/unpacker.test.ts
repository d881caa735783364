// A download unpacked by the engine gives the posts reading it here gives,
// their paths and bytes held there for their parse, and the trees' shas, in
// steps of bounded size; what breaks the reading there is reported as it
// would be here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { gitBlobSha } from '../core/github';
import { gunzip } from '../core/gunzip';
import { readTar, TarFormatError, type TarEntry } from '../core/tar';
import { isPostFile } from '../core/archive-files';
import { MAX_POST_BYTES } from '../core/read-entry';
import { ShaTable } from '../core/sha-table';
import { unpackedBy } from '../sync/unpacked';
import { Engine } from './engine';
import { EngineSession } from './session';
import type { UnpackedEntry } from './protocol';

const FOLDERS = ['_posts', 'archived'];
let repo: ArchiveRepo;
/** The society repository as GitHub's tarball of it: `git archive`, wrapped in `<owner>-<repo>-<sha>/`. */
let tarball: Uint8Array;

beforeAll(() => {
  repo = ArchiveRepo.society();
  const head = repo.head();
  tarball = new Uint8Array(execFileSync('git', ['-C', repo.dir, 'archive', '--format=tar.gz', `--prefix=NodeBE4-society-${head.slice(0, 7)}/`, head], { maxBuffer: 1 << 30 }));
});
afterAll(() => repo.dispose());

async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const use = (more: Partial<Parameters<typeof unpackedBy>[2]> = {}) => ({
  folders: FOLDERS, maxEntryBytes: MAX_POST_BYTES, maxBytes: 1 << 30, tooLarge: () => new Error('too large here'), hashing: () => false, ...more,
});
const inner = (path: string) => path.slice(path.indexOf('/') + 1);
/** Every file of the commit with its blob sha, as git lists them. */
const gitFiles = (dir: string) =>
  execFileSync('git', ['-C', dir, 'ls-tree', '-r', '-z', 'HEAD'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\0').filter(Boolean)
    .map((line) => ({ path: line.slice(line.indexOf('\t') + 1), sha: line.split(/\s+/)[2]! }));

describe('a download unpacked by the engine', () => {
  it("hands over each post of the tarball in order, its path and bytes held for its parse, and the site's configuration whole", async () => {
    const here: TarEntry[] = await collect(readTar(gunzip(inChunks(tarball, 1 << 20)), { maxEntryBytes: MAX_POST_BYTES }));
    const posts = here.filter((e) => e.type === 'file' && isPostFile(inner(e.path), FOLDERS));
    expect(posts.length).toBeGreaterThan(15_000);
    const session = new EngineSession();
    // The listing's shas, as git says them: each post comes with its own.
    const listed = ShaTable.of(gitFiles(repo.dir));
    const { entries } = unpackedBy(session, inChunks(tarball, 100_000), use({ shas: () => listed }));
    const there: UnpackedEntry[] = await collect(entries);
    const held = there.flatMap((e) => (e.type === 'held' ? [e] : []));
    const whole = there.flatMap((e) => (e.type !== 'held' ? [e] : []));
    // Nothing else comes: no folder, no other file.
    expect(whole.map((e) => inner(e.path))).toEqual(['_config.yml']);
    expect(whole[0]!.data).toEqual(here.find((e) => inner(e.path) === '_config.yml')!.data);
    expect(held.length).toBe(posts.length);
    expect(held.map((e) => e.sha)).toEqual(posts.map((e) => gitBlobSha(e.data!)));

    // The engine parses each post from the path and bytes it held, as from the bytes themselves, in the tarball's order.
    const fromHeld = await session.parse(held.map(({ held, size }) => ({ held, size })), { keep: false });
    expect(fromHeld.map((f) => f.path)).toEqual(posts.map((e) => inner(e.path)));
    const sample = posts.filter((_, i) => i % 1000 === 0);
    const fromBytes = await session.parse(sample.map((e) => ({ path: inner(e.path), data: e.data, size: e.size })), { keep: false });
    expect(fromHeld.filter((_, i) => i % 1000 === 0)).toEqual(fromBytes);
    expect(fromHeld.every((f) => f.result.ok)).toBe(true);
    // Parsed once: the engine let the bytes go.
    await expect(session.parse([{ held: held[0]!.held, size: 1 }], { keep: false })).rejects.toThrow(/No unpacked file/);
    session.close();
  });

  it('skips the posts the sync saved before, and hashes the trees as git does', async () => {
    const session = new EngineSession();
    const all = await collect(unpackedBy(session, inChunks(tarball, 1 << 20), use()).entries);
    const paths = (await session.parse(all.flatMap((e) => (e.type === 'held' ? [{ held: e.held, size: e.size }] : [])), { keep: false })).map((f) => f.path);
    const saved = paths.filter((_, i) => i % 3 === 0);
    const unpacked = unpackedBy(session, inChunks(tarball, 1 << 20), use({ skip: saved, hashing: () => true }));
    const rest = (await collect(unpacked.entries)).flatMap((e) => (e.type === 'held' ? [{ held: e.held, size: e.size }] : []));
    expect((await session.parse(rest, { keep: false })).map((f) => f.path)).toEqual(paths.filter((_, i) => i % 3 !== 0));
    // Every tree in the folders, skipped posts and all (git ls-tree -d: mode, type, sha, path).
    const git = Object.fromEntries(
      execFileSync('git', ['-C', repo.dir, 'ls-tree', '-r', '-d', '-z', 'HEAD'], { encoding: 'utf8' }).split('\0').filter(Boolean)
        .map((line) => [line.slice(line.indexOf('\t') + 1), line.split(/\s+/)[2]!])
        .filter(([path]) => FOLDERS.some((f) => path === f || path!.startsWith(`${f}/`))),
    );
    expect(Object.keys(git).length).toBeGreaterThan(100);
    expect(unpacked.trees()).toEqual(git);
    session.close();
  });

  it('hands over at most a batch of entries at a time, however large the chunk it was given', async () => {
    const engine = new Engine();
    const step = { session: 1, stream: 7, hashing: true, folders: FOLDERS, maxEntryBytes: MAX_POST_BYTES, maxBytes: 1 << 30 };
    let reply = (await engine.handle({ op: 'unpack', ...step, chunk: tarball.slice() })).reply;
    const sizes = [reply.entries.length];
    const all = [...reply.entries];
    while (!reply.done) {
      reply = (await engine.handle({ op: 'unpack', ...step, ...(reply.wantsInput ? { end: true } : {}) })).reply;
      sizes.push(reply.entries.length);
      all.push(...reply.entries);
    }
    expect(all.length).toBeGreaterThan(15_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    // While the trees are hashed every post comes with its sha.
    const held = all.filter((e) => e.type === 'held');
    expect(held.length).toBeGreaterThan(15_000);
    expect(held.every((e) => /^[0-9a-f]{40}$/.test(e.sha ?? ''))).toBe(true);
  });

  it('reports a download that is not gzip, not a tarball or too large as reading it here would', async () => {
    const session = new EngineSession();
    await expect(collect(unpackedBy(session, inChunks(new TextEncoder().encode('<html>rate limited</html>'), 10), use()).entries)).rejects.toThrow();
    const notTar = gzipSync(Buffer.from('hello, not a tarball at all'.repeat(100)));
    await expect(collect(unpackedBy(session, inChunks(new Uint8Array(notTar), 50), use()).entries)).rejects.toBeInstanceOf(TarFormatError);
    await expect(collect(unpackedBy(session, inChunks(tarball, 1 << 16), use({ maxBytes: 1 << 20 })).entries)).rejects.toThrow('too large here');
    session.close();
  });

  it('lets the rest of the download go when the tarball ends before it (a copy on disk is let go so)', async () => {
    let closed = false;
    let read = 0;
    async function* download() {
      try {
        for (;;) {
          read++;
          yield new Uint8Array(16);
        }
      } finally {
        closed = true;
      }
    }
    // An engine whose reading ends at the first chunk: the tar's end came before the download's (gzip's trailer, padding).
    const ended = { unpack: async () => ({ entries: [], wantsInput: false, done: true }) } as unknown as EngineSession;
    expect(await collect(unpackedBy(ended, download(), use()).entries)).toEqual([]);
    expect(read).toBe(1);
    expect(closed).toBe(true);
  });

  it('lets the download go when the reading stops early', async () => {
    const session = new EngineSession();
    let read = 0;
    async function* counted() {
      for await (const chunk of inChunks(tarball, 1 << 16)) {
        read++;
        yield chunk;
      }
    }
    const { entries } = unpackedBy(session, counted(), use());
    let held: number | undefined;
    for await (const entry of entries) {
      if (entry.type !== 'held') continue;
      held = entry.held;
      break;
    }
    expect(read).toBeLessThan(5);
    // The engine dropped what it held for that download.
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(session.parse([{ held: held!, size: 1 }], { keep: false })).rejects.toThrow(/No unpacked file/);
    session.close();
  });
});
