// A download unpacked by the engine gives the entries reading it here gives,
// posts' bytes held there for their parse, in steps of bounded size; what
// breaks the reading there is reported as it would be here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { gitBlobSha } from '../core/github';
import { gunzip } from '../core/gunzip';
import { readTar, TarFormatError, type TarEntry } from '../core/tar';
import { isPostFile } from '../core/archive-files';
import { MAX_POST_BYTES } from '../core/read-entry';
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

describe('a download unpacked by the engine', () => {
  it('gives every entry of the tarball as reading it here does, each post held for its parse', async () => {
    const here: TarEntry[] = await collect(readTar(gunzip(inChunks(tarball, 1 << 20)), { maxEntryBytes: MAX_POST_BYTES }));
    const session = new EngineSession();
    const { entries } = unpackedBy(session, inChunks(tarball, 100_000), use());
    const there: UnpackedEntry[] = await collect(entries);
    expect(there.length).toBe(here.length);
    expect(there.length).toBeGreaterThan(15_000);
    const posts = here.filter((e) => e.type === 'file' && isPostFile(inner(e.path), FOLDERS));
    expect(posts.length).toBeGreaterThan(15_000);
    there.forEach((entry, i) => {
      const local = here[i]!;
      expect([entry.path, entry.type, entry.size, entry.mode, entry.link]).toEqual([local.path, local.type, local.size, local.mode, local.link]);
      const post = local.type === 'file' && isPostFile(inner(local.path), FOLDERS);
      // A post's bytes stay in the engine; another file comes with its sha, the site's configuration whole.
      expect(entry.held !== undefined, entry.path).toBe(post);
      if (local.type === 'file' && !post) expect(entry.sha).toBe(gitBlobSha(local.data!));
      expect(entry.data).toEqual(inner(local.path) === '_config.yml' ? local.data : null);
    });
    expect(there.some((e) => inner(e.path) === '_config.yml')).toBe(true);

    // The engine parses a post from the bytes it held, as from the bytes themselves.
    const sample = there.filter((e) => e.held !== undefined).filter((_, i) => i % 1000 === 0);
    const fromHeld = await session.parse(sample.map((e) => ({ path: inner(e.path), data: null, size: e.size, held: e.held! })), { keep: false });
    const fromBytes = await session.parse(sample.map((e) => {
      const local = here.find((l) => l.path === e.path)!;
      return { path: inner(e.path), data: local.data, size: local.size };
    }), { keep: false });
    expect(fromHeld).toEqual(fromBytes);
    expect(fromHeld.every((f) => f.result.ok)).toBe(true);
    // Parsed once: the engine let the bytes go.
    await expect(session.parse([{ path: 'x.md', data: null, size: 1, held: sample[0]!.held! }], { keep: false })).rejects.toThrow(/No unpacked file/);
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
    // While the trees are hashed every file comes with its sha, posts too.
    expect(all.filter((e) => e.type === 'file' && e.size <= MAX_POST_BYTES).every((e) => /^[0-9a-f]{40}$/.test(e.sha ?? ''))).toBe(true);
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
      held ??= entry.held;
      if (held !== undefined) break;
    }
    expect(read).toBeLessThan(5);
    // The engine dropped what it held for that download.
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(session.parse([{ path: 'x.md', data: null, size: 1, held: held! }], { keep: false })).rejects.toThrow(/No unpacked file/);
    session.close();
  });
});
