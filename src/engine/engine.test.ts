// The sync engine across a message port, as the background talks to its
// worker: what a sync stores and what search answers are the same as with the
// engine in the same thread, and a worker that goes away mid-sync costs the
// sync nothing but time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useSocietyOnGitHub, type FakeGitHub } from '../../test/support/fake-github';
import { countStored } from '../../test/support/stored-posts';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPostFile } from '../core/archive-files';
import { readEntry } from '../core/read-entry';
import { parseSiteConfig } from '../core/site';
import { importPosts } from '../db/import';
import { eachPost } from '../db/post-store';
import { filesOf } from '../db/files';
import type { PostRecord } from '../db/schema';
import { searchPosts } from '../db/search';
import { buildSearchIndex, docsKey, dropIndexRows, indexLimits, newBuild, WORKER_SEGMENT_BYTES } from '../db/search-index';
import { liveIndexCount } from '../db/staging';
import { openArchive, type ArchiveDb } from '../db/schema';
import { MERGE_FROM, mergeLimits } from '../db/search-merge';
import { Http } from '../sync/http';
import { SyncError } from '../core/github';
import { syncGithub } from '../sync/github-sync';
import { githubSource } from '../sync/sources';
import { EngineSession, useEngine } from './session';
import { engineOverPort } from '../../test/support/engine-port';

let github: FakeGitHub;
let db: ArchiveDb;
let n = 0;
const society$ = useSocietyOnGitHub({ beforeAll, afterAll });
beforeEach(() => {
  github = society$.github();
  db = openArchive(`engine-${++n}`);
});
afterEach(() => useEngine(null));

const queries = ['罗宾', '羅賓 疫苗', '美国', '中国 2024', '的', 'covid', '习近平', '川普 关税', 'ukraine', 'tag:美國'];
async function answers() {
  const out: string[] = [];
  for (const q of queries) {
    const { posts, total } = await searchPosts(db, q, 100);
    out.push(`${q}: ${total} ${posts.map((p) => p.key).join(',')}`);
  }
  return out;
}

async function sync() {
  const source = githubSource({ repository: 'NodeBE4/society' });
  await db.sources.put(source);
  const http = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [1, 1, 1] });
  const outcome = await syncGithub({ db, http, token: null, report: () => {} }, source);
  return { outcome, source: (await db.sources.get(source.id))! };
}

describe('the sync engine in a worker', () => {
  it('parses and indexes the posts of a sync across its port, and search answers as from an index built here', async () => {
    const { link, requests, channel } = engineOverPort();
    useEngine(link);
    indexLimits.workerSegmentBytes = 1 << 20;
    // Not merged as the sync commits: the segments the engine wrote are what is looked at here.
    mergeLimits.from = Infinity;
    try {
      const { outcome, source } = await sync();
      expect(outcome.result).toBe('updated');
      expect(await countStored(db, source.id)).toBeGreaterThan(15_000);
      // The download was unpacked there, every post parsed there and its grams made there, in several segments.
      expect(requests.get('unpack')).toBeGreaterThanOrEqual(30);
      expect(requests.get('parse')).toBeGreaterThanOrEqual(30);
      expect(requests.get('store')).toBeGreaterThanOrEqual(3);
      // And every batch saved there: its posts' text never came to this side, but for the
      // twins of posts saved before, which a few batches send back to be merged with them here.
      expect(requests.get('write')).toBe(requests.get('parse'));
      expect(requests.get('take')).toBeGreaterThanOrEqual(1);
      expect(requests.get('take')).toBeLessThan(requests.get('parse')! / 2);
      expect(requests.get('saved')).toBe(requests.get('write'));
      const docs = (await db.searchDocs.get(docsKey(source.id, source.gen!, source.searchIndex!.build)))!;
      expect(docs.segments!.length).toBeGreaterThanOrEqual(3);
      const fromWorker = await answers();
      expect(fromWorker.filter((a) => / [1-9]\d* /.test(a)).length).toBeGreaterThanOrEqual(8);

      // The same posts indexed in this thread, from the stored posts.
      useEngine(null);
      const build = newBuild();
      await buildSearchIndex(db, source.id, source.gen!, build, () => {}, 1 << 30);
      await db.sources.update(source.id, { 'searchIndex.build': build });
      await dropIndexRows(db, source.id, source.gen!, build);
      expect(await answers()).toEqual(fromWorker);
    } finally {
      indexLimits.workerSegmentBytes = WORKER_SEGMENT_BYTES;
      mergeLimits.from = MERGE_FROM;
      link.close();
      channel.port1.close();
    }
  });

  it('lets its worker go once the index is written, before the commit merges it: nothing keeps an idle worker and its garbage', async () => {
    const { link, channel } = engineOverPort();
    // Who needs the worker, counted as background/engine-host.ts counts them: each session, and the sync itself.
    let users = 0;
    const events: string[] = [];
    const lifetime = { retain: () => void users++, release: () => void (--users === 0 && events.push('worker free')) };
    useEngine(link, lifetime);
    const startEngine = async () => {
      lifetime.retain();
      let released = false;
      return () => void (released || ((released = true), lifetime.release()));
    };
    indexLimits.workerSegmentBytes = 1 << 20;
    // Merged as the sync commits: the merged build's docs row is the merge's, written after the live index.
    mergeLimits.from = 2;
    const putDocs = db.searchDocs.put.bind(db.searchDocs);
    // The live index (every post's id, video, time and size) is let go before the merge, not kept through it.
    vi.spyOn(db.searchDocs, 'put').mockImplementation((row, key) => (events.push(`merged docs, ${liveIndexCount()} live index held`), putDocs(row, key)));
    try {
      const source = githubSource({ repository: 'NodeBE4/society' });
      await db.sources.put(source);
      const http = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [1, 1, 1] });
      const outcome = await syncGithub({ db, http, token: null, report: () => {}, startEngine }, source);
      expect(outcome.result).toBe('updated');
      expect(events).toEqual(['worker free', 'merged docs, 0 live index held']);
      expect(users).toBe(0);
      expect(await countStored(db, source.id)).toBeGreaterThan(15_000);
    } finally {
      indexLimits.workerSegmentBytes = WORKER_SEGMENT_BYTES;
      mergeLimits.from = MERGE_FROM;
      link.close();
      channel.port1.close();
    }
  });

  it('stores each post as parsing it here and importing it would', async () => {
    const { link, requests, channel } = engineOverPort();
    useEngine(link);
    // The posts that came back to this side to be merged with a twin saved before.
    let taken = 0;
    const take = EngineSession.prototype.take;
    const spy = vi.spyOn(EngineSession.prototype, 'take').mockImplementation(async function (this: EngineSession, batch: number) {
      const reply = await take.call(this, batch);
      taken += reply.posts.length;
      return reply;
    });
    try {
      const { source } = await sync();
      const stored = await everyPost(db, source.id, source.gen!);
      // The oracle: the files parsed in this thread and imported by the one bulk import path (twins merged).
      const dir = extractedSociety();
      const config = listFiles(dir).find((f) => f === '_config.yml');
      const timeZone = config ? parseSiteConfig(readFileSync(join(dir, config), 'utf8')).timezone : undefined;
      const posts = listFiles(dir)
        .filter((path) => isPostFile(path, source.github!.folders))
        .flatMap((path) => {
          const data = new Uint8Array(readFileSync(join(dir, path)));
          const read = readEntry(path, data, data.length, undefined, timeZone);
          return read.result.ok ? [read.result.post] : [];
        });
      const here = openArchive(`engine-oracle-${n}`);
      await importPosts(here, source.id, posts, source.gen!);
      const expected = await everyPost(here, source.id, source.gen!);
      expect(stored.size).toBe(expected.size);
      expect(stored.size).toBeGreaterThan(15_000);
      // Society keeps stale twins (the same post in _posts/ and archived/): some came merged,
      // in batches the worker saved and in batches sent back to be merged with a post saved before.
      expect(posts.length).toBeGreaterThan(stored.size);
      // Only the twins came back (125 of society's posts have one elsewhere in the tarball), not their batches.
      expect(requests.get('take')).toBeGreaterThanOrEqual(1);
      expect(taken).toBeGreaterThan(0);
      expect(taken).toBeLessThanOrEqual(posts.length - stored.size);
      expect(requests.get('write')).toBe(requests.get('parse'));
      for (const [key, post] of expected) expect(stored.get(key), key).toEqual(post);
    } finally {
      spy.mockRestore();
      link.close();
      channel.port1.close();
    }
  });

  it('downloads again after a broken download, the worker skipping the posts saved before, and stores each post once', async () => {
    // The paths each download's first step tells the worker to skip.
    const skipped: number[] = [];
    const { link, requests, channel } = engineOverPort((request) => {
      if (request.op === 'unpack' && skipped[request.stream] === undefined) skipped[request.stream] = request.skip?.length ?? 0;
    });
    useEngine(link);
    github.clearLog();
    github.fault('truncate', 'codeload.github.com', '', 1);
    try {
      const { outcome, source } = await sync();
      expect(outcome.result).toBe('updated');
      expect(github.log.filter((r) => r.host === 'codeload.github.com')).toHaveLength(2);
      // The second download skipped what the first had saved.
      const [first, second] = skipped.filter((count) => count !== undefined);
      expect(first).toBe(0);
      expect(second).toBeGreaterThan(0);
      // Every post file once, every post once, as many as a sync that never broke stores.
      const postFiles = listFiles(extractedSociety()).filter((path) => isPostFile(path, source.github!.folders));
      expect((await filesOf(db, source.id, source.gen!)).size).toBe(postFiles.length);
      const stored = await everyPost(db, source.id, source.gen!);
      expect(stored.size).toBe(source.postCount);
      expect(requests.get('write')).toBeGreaterThanOrEqual(20);
      const clean = openArchive(`engine-clean-${n}`);
      const before = db;
      db = clean;
      useEngine(null);
      const { source: again } = await sync();
      db = before;
      expect(again.postCount).toBe(source.postCount);
      expect([...(await everyPost(clean, again.id, again.gen!)).values()].map((p) => p.id).sort()).toEqual([...stored.values()].map((p) => p.id).sort());
    } finally {
      link.close();
      channel.port1.close();
    }
  });

  it('ends the sync with a full disk when the worker cannot save a batch for want of space, and stores nothing', async () => {
    // Which side saves the batch being saved: the worker (`write`), or this one (`take`).
    let saving = '';
    const { link, requests, channel } = engineOverPort(({ op }) => {
      if (op === 'write' || op === 'take') saving = op;
    });
    useEngine(link);
    // The disk fills up after a few batches, in the worker's own transaction.
    let writes = 0;
    const put = IDBObjectStore.prototype.put;
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (this.name === 'files' && saving === 'write' && ++writes > 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    try {
      const error = await sync().catch((e: unknown) => e);
      expect(writes).toBe(4);
      expect(requests.get('write')).toBe(4);
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ kind: 'storage-full', transient: false });
      const source = (await db.sources.toArray())[0]!;
      expect(source.gen).toBeUndefined();
      expect(await db.posts.count()).toBe(0);
      expect(await db.jobs.count()).toBe(0);
    } finally {
      full.mockRestore();
      link.close();
      channel.port1.close();
    }
  });

  it('goes on in this thread when the worker goes away mid-sync, and stores and finds every post', async () => {
    const { link, requests, channel } = engineOverPort();
    useEngine(link);
    // The worker answers a few batches, then never again (its page closed, or it crashed).
    const served = channel.port1.onmessage!;
    channel.port1.onmessage = (event) => {
      if ((requests.get('parse') ?? 0) < 6) served.call(channel.port1, event);
      else link.close();
    };
    try {
      const { outcome, source } = await sync();
      expect(outcome.result).toBe('updated');
      expect(link.alive).toBe(false);
      expect(await countStored(db, source.id)).toBe(source.postCount);
      expect(source.postCount).toBeGreaterThan(15_000);
      const found = await answers();
      expect(found.filter((a) => / [1-9]\d* /.test(a)).length).toBeGreaterThanOrEqual(8);
      // As many as an index built afresh finds.
      const build = newBuild();
      await buildSearchIndex(db, source.id, source.gen!, build);
      await db.sources.update(source.id, { 'searchIndex.build': build });
      expect(await answers()).toEqual(found);
    } finally {
      channel.port1.close();
    }
  });
});

async function everyPost(db: ArchiveDb, sourceId: string, gen: number): Promise<Map<string, PostRecord>> {
  const out = new Map<string, PostRecord>();
  await eachPost(db, sourceId, gen, (posts) => {
    for (const post of posts) out.set(post.key, post);
  });
  return out;
}
