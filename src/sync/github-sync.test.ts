// Sync against a local server that speaks GitHub's protocols, backed by a real
// git repository of the whole NodeBE4/society archive.
import { countStored, storedPosts } from '../../test/support/stored-posts';
import { archivedVideoIds, forgetCachedPacks, generationPrefix, getPost, getPosts, keysOf } from '../db/post-store';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { useSocietyOnGitHub, type FakeGitHub } from '../../test/support/fake-github';
import { seedText } from '../../test/support/archives';
import { lookupVideo } from '../db/queries';
import { searchPosts } from '../db/search';
import { buildSearchIndex, docsKey, dropIndexRows, forgetLoadedDocs, indexLimits, newBuild, SEGMENT_BYTES } from '../db/search-index';
import { ofSource } from '../db/import';
import { MERGE_FROM, mergeLimits, mergeRanges, mergeRows, mergeSearchSegments } from '../db/search-merge';
import { parseQuery, scorePost } from '../core/search';
import { openArchive, type ArchiveDb, type SourceRecord } from '../db/schema';
import { countFiles, filesOf } from '../db/files';
import { postKey } from '../db/import';
import { SyncError } from '../core/github';
import { Http } from './http';
import { forgetLiveIndex, guardStorage } from '../db/staging';
import { storageGuard } from '../background/storage-guard';
import { syncGithub, type SyncOutcome } from './github-sync';
import type { Spool } from './spool';
import { packAt, packKeyOf } from '../core/pack-runs';
import type { SearchDocsRecord } from '../db/records';
import type { SyncProgress } from './progress';
import { githubSource } from './sources';
import { mergeInWorkers } from '../background/merge-host';

let github: FakeGitHub;
let repo: ArchiveRepo;
let db: ArchiveDb;
let n = 0;

/** The merge's range as the extension has it (tests make it small, then put it back). */
const defaultRange = mergeLimits.bytesPerRange;
const society$ = useSocietyOnGitHub({ beforeAll, afterAll });
beforeEach(async () => {
  github = society$.github();
  repo = society$.repo();
  db = openArchive(`sync-${++n}`);
  github.clearLog();
  github.rateLimit.remaining = 60;
});

async function run(source: SourceRecord, options: { token?: string; signal?: AbortSignal; batch?: number } = {}) {
  const progress: SyncProgress[] = [];
  const http = new Http({ fetch: github.fetch, signal: options.signal ?? new AbortController().signal, backoffMs: [1, 1, 1] });
  const stored = (await db.sources.get(source.id)) ?? source;
  if (!(await db.sources.get(source.id))) await db.sources.put(source);
  const outcome: SyncOutcome = await syncGithub({ db, http, token: options.token ?? null, report: (p) => progress.push(p), ...(options.batch ? { batch: options.batch } : {}) }, stored);
  return { outcome, progress, http };
}

const society = () => githubSource({ repository: 'NodeBE4/society' });

/** Syncs society writing its index in segments of 1 MiB, merged as the sync commits from `mergeFrom` of them. */
async function syncInSegments(mergeFrom: number): Promise<void> {
  indexLimits.segmentBytes = 1 << 20;
  mergeLimits.from = mergeFrom;
  try {
    await run(society());
  } finally {
    indexLimits.segmentBytes = SEGMENT_BYTES;
    mergeLimits.from = MERGE_FROM;
  }
}
/** Answers to a few queries of each kind, as post keys: what a merged index must answer as the same posts indexed whole. */
const answers = async () =>
  Promise.all(['罗宾', '羅賓 疫苗', '中国 2024', '的', 'covid', 'tag:美國'].map(async (q) => {
    const { posts, total } = await searchPosts(db, q, 100);
    return `${q}: ${total} ${posts.map((p) => p.key).join(',')}`;
  }));

/** Indexes the source's posts again, in one segment from the start, and switches to that index. */
async function indexWhole(source: SourceRecord): Promise<void> {
  const build = newBuild();
  await buildSearchIndex(db, source.id, source.gen!, build, () => {}, 1 << 30);
  await db.sources.update(source.id, { 'searchIndex.build': build });
  await dropIndexRows(db, source.id, source.gen!, build);
}
const postFiles = () => repo.files().filter((f) => /^(_posts|archived)\/.*\.md$/.test(f));

/** How many of an index's posts are in the packs its runs name for them. */
async function inNamedPacks(docs: SearchDocsRecord): Promise<number> {
  const prefix = generationPrefix(docs.sourceId, docs.gen);
  const named = docs.ids.split('\n').map((id, ordinal) => ({ id, pack: packKeyOf(prefix, packAt(docs.packRuns!, ordinal)) }));
  const keys = [...new Set(named.map((n) => n.pack))];
  const packs = new Map((await db.posts.bulkGet(keys)).map((pack, i) => [keys[i]!, pack]));
  return named.filter(({ id, pack }) => id && (packs.get(pack) && keysOf(packs.get(pack)!).includes(prefix + id))).length;
}

describe('GitHub sync', () => {
  it('writes the search index in segments while it reads, and answers as an index written whole', async () => {
    const queries = ['罗宾', '羅賓 疫苗', '美国', '中国 2024', '的', 'covid', '习近平', '川普 关税', 'ukraine', 'tag:美國'];
    const answers = async () => {
      const out: string[] = [];
      for (const q of queries) {
        const { posts, total } = await searchPosts(db, q, 100);
        out.push(`${q}: ${total} ${posts.map((p) => p.key).join(',')}`);
      }
      return out;
    };
    // Not merged as the sync commits (the next test): the segments are what is looked at here.
    await syncInSegments(Infinity);
    const source = (await db.sources.get('github:nodebe4/society'))!;
    const docs = (await db.searchDocs.get(docsKey(source.id, source.gen!, source.searchIndex!.build)))!;
    expect(docs.segments!.length).toBeGreaterThanOrEqual(3);
    // Each post's pack is known to the index: a search reads it by its key.
    const posts = docs.ids.split('\n').filter(Boolean).length;
    expect(await inNamedPacks(docs)).toBe(posts);
    const segmented = await answers();
    expect(segmented.filter((a) => / [1-9]\d* /.test(a)).length).toBeGreaterThanOrEqual(8);
    // Merged into one segment after the sync (with rows of their own for common grams, '的' among them).
    mergeLimits.from = 2;
    try {
      expect((await mergeSearchSegments(db, source.id))?.segments).toBe(docs.segments!.length);
    } finally {
      mergeLimits.from = MERGE_FROM;
    }
    const merged = (await db.sources.get(source.id))!.searchIndex!;
    const one = (await db.searchDocs.get(docsKey(source.id, merged.gen, merged.build)))!;
    expect(one.segments).toBeUndefined();
    expect(one.own!.split('\n')).toContain('的');
    expect(await inNamedPacks(one)).toBe(posts);
    expect(await answers()).toEqual(segmented);
    // The same posts indexed in one segment from the start.
    const build = newBuild();
    await buildSearchIndex(db, source.id, source.gen!, build, () => {}, 1 << 30);
    await db.sources.update(source.id, { 'searchIndex.build': build });
    await dropIndexRows(db, source.id, source.gen!, build);
    const rebuilt = (await db.searchDocs.get(docsKey(source.id, source.gen!, build)))!;
    expect(rebuilt.segments).toBeUndefined();
    expect(await inNamedPacks(rebuilt)).toBe(posts);
    expect(await answers()).toEqual(segmented);
  });

  it('merges an index of many segments as it commits, so the first searches read one row a gram; the segments go after', async () => {
    await syncInSegments(2);
    const source = (await db.sources.get('github:nodebe4/society'))!;
    // The source points at one segment, written from the sync's segments.
    expect(source.searchIndex!.segments).toBeUndefined();
    const one = (await db.searchDocs.get(docsKey(source.id, source.gen!, source.searchIndex!.build)))!;
    expect(one.segments).toBeUndefined();
    expect(one.own!.split('\n')).toContain('的');
    const posts = one.ids.split('\n').filter(Boolean).length;
    expect(await inNamedPacks(one)).toBe(posts);
    // The segments' rows are still there, until the background drops them after the sync (between readers).
    const otherBuild = (key: string) => !key.startsWith(docsKey(source.id, source.gen!, source.searchIndex!.build));
    const segmentRows = (await db.searchBuckets.toCollection().primaryKeys()).filter(otherBuild);
    expect(segmentRows.length).toBeGreaterThan(0);
    // The segments' docs row (megabytes at scale) was never written: the merged build's is the only one.
    expect((await db.searchDocs.toCollection().primaryKeys()).filter(otherBuild)).toEqual([]);
    const merged = await answers();
    expect(merged.filter((a) => / [1-9]\d* /.test(a)).length).toBeGreaterThanOrEqual(5);
    expect(await mergeSearchSegments(db, source.id)).toBeNull();
    expect((await db.searchBuckets.toCollection().primaryKeys()).filter(otherBuild)).toEqual([]);
    expect((await db.searchDocs.toCollection().primaryKeys()).filter(otherBuild)).toEqual([]);
    // As an index written whole answers.
    await indexWhole(source);
    expect(await answers()).toEqual(merged);
  });

  it('merges a range in the background itself when its worker cannot start, and answers as an index written whole', async () => {
    let started = 0;
    // A worker whose script fails to load: its error comes after postMessage, as a browser's does.
    class Unloadable {
      onmessage: ((event: MessageEvent) => void) | null = null;
      onerror: ((event: { preventDefault(): void }) => void) | null = null;
      postMessage() {
        started++;
        setTimeout(() => this.onerror?.({ preventDefault() {} }), 0);
      }
      terminate() {}
    }
    vi.stubGlobal('Worker', Unloadable);
    mergeInWorkers(() => new Unloadable() as unknown as Worker);
    mergeLimits.bytesPerRange = 256 << 10;
    try {
      await syncInSegments(2);
    } finally {
      mergeLimits.bytesPerRange = defaultRange;
      mergeRanges.worker = null;
      vi.unstubAllGlobals();
    }
    expect(started).toBeGreaterThan(3);
    const source = (await db.sources.get('github:nodebe4/society'))!;
    expect(source.searchIndex!.segments).toBeUndefined();
    const merged = await answers();
    expect(merged.filter((a) => / [1-9]\d* /.test(a)).length).toBeGreaterThanOrEqual(5);
    await indexWhole(source);
    expect(await answers()).toEqual(merged);
  });

  it('merges in ranges run apart, as Firefox runs each in a worker of its own, and answers as an index written whole', async () => {
    // Each range on a connection of its own, given only what a worker is sent (cloned as a message is).
    const ranges: number[] = [];
    mergeLimits.bytesPerRange = 256 << 10;
    mergeRanges.worker = async (dbName, docs, merged, range) => {
      ranges.push(range.ownStart);
      const own = openArchive(dbName);
      try {
        return await mergeRows(own, structuredClone(docs), merged, structuredClone(range));
      } finally {
        own.close();
      }
    };
    try {
      await syncInSegments(2);
    } finally {
      mergeLimits.bytesPerRange = defaultRange;
      mergeRanges.worker = null;
    }
    expect(ranges.length).toBeGreaterThan(3);
    // Later ranges number their own rows after the earlier ranges' ('的' has one).
    expect(ranges.at(-1)).toBeGreaterThan(0);
    const source = (await db.sources.get('github:nodebe4/society'))!;
    expect(source.searchIndex!.segments).toBeUndefined();
    const one = (await db.searchDocs.get(docsKey(source.id, source.gen!, source.searchIndex!.build)))!;
    expect(one.own!.split('\n')).toContain('的');
    const merged = await answers();
    expect(merged.filter((a) => / [1-9]\d* /.test(a)).length).toBeGreaterThanOrEqual(5);
    await indexWhole(source);
    expect(await answers()).toEqual(merged);
  });

  it('first sync streams one tarball of the whole archive and stores every post', async () => {
    // In transactions of 2,000 posts, as Firefox saves them (the other tests save 500 at a time).
    const { outcome, progress, http } = await run(society(), { batch: 2000 });
    expect(outcome).toMatchObject({ result: 'updated', mode: 'full' });
    const files = await countFiles(db, 'github:nodebe4/society');
    expect(files).toBe(postFiles().length);
    const source = (await db.sources.get('github:nodebe4/society'))!;
    expect(source.failures).toEqual([]);
    expect(source.commitSha).toBe(repo.head());
    expect(source.site).toMatchObject({ url: 'https://nodebe4.github.io', baseurl: '/society', permalink: '/:year-:month-:day/:title/' });
    expect(source.site!.exclude).toContain('archived');
    // What the options page says the source takes: an estimate of the same order as its posts' text.
    const postBytes = postFiles().reduce((sum, f) => sum + statSync(join(repo.dir, f)).size, 0);
    expect(source.searchIndex!.storedBytes).toBeGreaterThan(postBytes);
    expect(source.searchIndex!.storedBytes).toBeLessThan(postBytes * 6);
    // repo (default branch), commit, tree, tarball: four requests for 15,271 posts.
    expect(github.log.map((r) => `${r.host}${r.path.replace(/[0-9a-f]{40}/, 'SHA')}`)).toEqual([
      'api.github.com/repos/NodeBE4/society',
      'api.github.com/repos/NodeBE4/society/commits/master',
      'api.github.com/repos/NodeBE4/society/git/trees/SHA?recursive=1',
      'codeload.github.com/NodeBE4/society/tar.gz/SHA',
    ]);
    expect(http.requests).toBe(4);
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['checking', 'listing', 'downloading', 'reading', 'saving']);
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    // Its posts' keys are in no index (a sync's writes): each is found by its key alone through the generation's directory.
    const prefix = generationPrefix(source.id, source.gen!);
    expect(await db.posts.where('keys').between(prefix, `${prefix}\uffff`).count()).toBe(0);
    const stored = await storedPosts(db, source.id);
    expect(stored.length).toBe(source.postCount);
    forgetCachedPacks();
    const found = await getPosts(db, stored.map((p) => p.key));
    expect(found.filter((p, i) => p?.key === stored[i]!.key && p.title === stored[i]!.title).length).toBe(stored.length);
    // A society video now shows its post, with a link computed from the repository's _config.yml.
    const { archived } = await lookupVideo(db, 'GorsYGIeIK4');
    expect(archived[0]?.postUrl).toMatch(/^https:\/\/nodebe4\.github\.io\/society\/2024-12-07\//);
    // Nor are its posts' videos in the index: the generation's video directory finds every one, and only its posts.
    expect(source.videoDirectory).toEqual({ gen: source.gen, rows: expect.any(Number) });
    const videos = [...new Set(stored.flatMap((p) => p.videoIds))];
    expect(await db.posts.where('videoIds').anyOf(videos).count()).toBe(0);
    const sample = videos.filter((_, i) => i % 97 === 0);
    const byVideo = new Map(sample.map((v) => [v, stored.filter((p) => p.videoIds.includes(v)).map((p) => p.key).sort()]));
    // The sync keeps its index's docs in memory: a lookup reads the packs they name, with no directory row read first.
    const bulkGet = vi.spyOn(db.posts, 'bulkGet');
    const rowsRead = () => bulkGet.mock.calls.flatMap(([keys]) => keys as string[]).filter((key) => key.includes('#v')).length;
    for (const video of sample) expect((await lookupVideo(db, video)).archived.map((p) => p.key).sort(), video).toEqual(byVideo.get(video));
    expect(rowsRead()).toBe(0);
    // As a service worker started again finds it (docs not read yet): through the directory, the same answers.
    forgetLoadedDocs();
    forgetCachedPacks();
    for (const video of sample) expect((await lookupVideo(db, video)).archived.map((p) => p.key).sort(), video).toEqual(byVideo.get(video));
    expect(rowsRead()).toBe(sample.length);
    bulkGet.mockRestore();
    expect(new Set(await archivedVideoIds(db))).toEqual(new Set(videos));
  }, 120_000);

  it('says "up to date" with one conditional request when nothing changed', async () => {
    await run(society());
    github.clearLog();
    // The default branch was remembered: one request.
    const { outcome } = await run((await db.sources.get('github:nodebe4/society'))!);
    expect(outcome).toEqual({ result: 'up-to-date' });
    expect(github.log.map((r) => r.status)).toEqual([304]);
  }, 120_000);

  it('fetches only new and changed posts, applies moves and deletions, and keeps moved posts as they were', async () => {
    const source = { ...society(), github: { ...society().github!, branch: 'master' } };
    await run(source);
    const before = await countStored(db, source.id);
    const files = postFiles();
    const toMove = files.find((f) => f.startsWith('_posts/'))!;
    const toEdit = files.find((f) => f.startsWith('archived/2021'))!;
    const toDelete = files.filter((f) => f.startsWith('archived/2022'))[0]!;
    const movedTo = `archived/2099-01-01/${toMove.slice('_posts/'.length)}`;
    const toCopy = files.filter((f) => f.startsWith('archived/2023'))[0]!;
    const copiedTo = '_posts/2026-11-29-copy.md';
    const edited = repo.read(toEdit).replace(/^title: "(.*)"$/m, 'title: "$1 (edited)"');
    repo.commit('sync test changes', {
      write: { '_posts/2026-11-28-new.md': seedText(), [toEdit]: edited, '_posts/broken.md': 'not a post at all', [copiedTo]: repo.read(toCopy) },
      move: { [toMove]: movedTo },
      remove: [toDelete],
    });
    github.clearLog();
    // The stored file at a path and its post's key, as an incremental sync reads them (the source's files, once).
    const fileAt = async (path: string) => {
      const gen = (await db.sources.get(source.id))!.gen ?? 0;
      return (await filesOf(db, source.id, gen)).get(path);
    };
    const postAt = async (path: string) => postKey(source.id, (await db.sources.get(source.id))!.gen ?? 0, (await fileAt(path))!.postId!);
    const movedPost = await postAt(toMove);
    const copiedPost = await postAt(toCopy);
    const deletedPost = (await getPost(db, await postAt(toDelete)))!;
    const editedTitle = (await getPost(db, await postAt(toEdit)))!.title;
    // The first sync made the index; search answers from it.
    const indexed = (await db.sources.get(source.id))!.searchIndex!;
    expect(indexed).toMatchObject({ gen: (await db.sources.get(source.id))!.gen, changed: [] });
    expect((await searchPosts(db, `"${deletedPost.title}"`)).posts.map((p) => p.key)).toContain(deletedPost.key);
    // The index made while the sync wrote (twins merged, each post once) answers as a reading of every post would.
    const stored = await storedPosts(db, source.id);
    for (const input of ['罗宾', '的', 'covid']) {
      const answer = await searchPosts(db, input, 200);
      expect(answer.total, input).toBe(stored.filter((p) => scorePost(p, parseQuery(input)) !== null).length);
      expect(new Set(answer.posts.map((p) => p.key)).size, input).toBe(answer.posts.length);
    }
    const headBefore = (await db.sources.get(source.id))!.commitSha;
    const { outcome } = await run((await db.sources.get(source.id))!);
    expect(outcome).toMatchObject({ result: 'updated', mode: 'incremental', counts: { added: 2, changed: 1, removed: 1, moved: 2, kept: 1 } });
    // commit + tree + three raw files (the copy's content is known by its sha); no tarball.
    expect(github.log.filter((r) => r.host === 'raw.githubusercontent.com')).toHaveLength(3);
    expect(github.log.some((r) => r.host === 'codeload.github.com')).toBe(false);
    // The moved post is the same post, now at its archived path.
    const moved = (await getPost(db, movedPost))!;
    expect(moved.paths).toContain(movedTo);
    expect(moved.paths).not.toContain(toMove);
    expect(await fileAt(toMove)).toBeUndefined();
    // The copy is the same post, at both paths.
    expect((await getPost(db, copiedPost))!.paths).toEqual(expect.arrayContaining([toCopy, copiedTo]));
    expect(await postAt(copiedTo)).toBe(copiedPost);
    expect((await lookupVideo(db, '-VWLP6-06Jc')).archived).toHaveLength(1);
    const after = (await db.sources.get(source.id))!;
    expect(after.failures).toEqual([{ path: '_posts/broken.md', reason: 'no-front-matter', message: expect.any(String) }]);
    // One new post; the deleted one kept, marked with when it went and the last commit that had it; the edit replaced a post's text.
    expect(await countStored(db, source.id)).toBe(before + 1);
    expect(after.removedCount).toBe(1);
    const kept = (await getPost(db, deletedPost.key))!;
    expect(kept).toMatchObject({ title: deletedPost.title, paths: deletedPost.paths, removedAt: expect.any(Number), removedIn: headBefore });
    expect((await lookupVideo(db, deletedPost.videoId!)).archived.map((p) => p.key)).toContain(deletedPost.key);
    const all = await storedPosts(db, source.id);
    expect(all.some((p) => p.title.endsWith(' (edited)'))).toBe(true);
    // Lookups of the changed posts' videos answer the same from the index's docs in memory (posts changed since it was built left to the posts' index) as through the directory.
    const changedVideos = [...new Set((await getPosts(db, [movedPost, copiedPost, deletedPost.key, await postAt(toEdit)])).flatMap((p) => p!.videoIds))];
    expect(changedVideos.length).toBeGreaterThanOrEqual(3);
    const lookedUp = async () => Promise.all(changedVideos.map(async (v) => (await lookupVideo(db, v)).archived.map((p) => `${p.key} ${p.title} ${p.removedAt ?? ''}`).sort()));
    const fromDocs = await lookedUp();
    forgetLoadedDocs();
    forgetCachedPacks();
    expect(fromDocs).toEqual(await lookedUp());
    expect(fromDocs.flat().some((line) => line.includes(' (edited)'))).toBe(true);
    // Search follows the changes without rebuilding its index: the changed posts are read as they are now.
    expect(after.searchIndex).toMatchObject({ gen: indexed.gen, build: indexed.build });
    expect(after.searchIndex!.changed.length).toBeGreaterThanOrEqual(3);
    expect((await searchPosts(db, `"${deletedPost.title}"`)).posts.map((p) => p.key)).toContain(deletedPost.key);
    const found = await searchPosts(db, `"${editedTitle} (edited)"`);
    expect(found.posts[0]!.title).toBe(`${editedTitle} (edited)`);
    expect((await searchPosts(db, '深度求索')).posts.some((p) => p.videoId === '-VWLP6-06Jc')).toBe(true);
    // Undo for the next tests.
    repo.commit('undo', { write: { [toEdit]: edited.replace(' (edited)', '') }, move: { [movedTo]: toMove }, remove: ['_posts/2026-11-28-new.md', '_posts/broken.md', copiedTo] });
  }, 120_000);
});

describe('GitHub sync when things go wrong', () => {
  async function archiveSnapshot() {
    return { posts: await countStored(db), files: await countFiles(db), staged: await db.staged.count() };
  }

  it('retries 500s and dropped connections, then completes', async () => {
    github.fault('status-500', 'api.github.com', '/commits/', 2);
    github.fault('drop', 'codeload.github.com', '', 1);
    const { outcome } = await run(society());
    expect(outcome.result).toBe('updated');
    expect(await countFiles(db)).toBe(postFiles().length);
  }, 120_000);

  it('waits for slow answers instead of giving up', async () => {
    github.slowMs = 1500;
    github.fault('slow', 'api.github.com', '/commits/', 1);
    github.fault('slow', 'codeload.github.com', '', 1);
    const { outcome } = await run(society());
    expect(outcome.result).toBe('updated');
    expect(await countFiles(db)).toBe(postFiles().length);
  }, 120_000);

  it('downloads again after a truncated tarball without duplicating anything', async () => {
    github.fault('truncate', 'codeload.github.com', '', 1);
    const { outcome } = await run(society());
    expect(outcome.result).toBe('updated');
    expect(github.log.filter((r) => r.host === 'codeload.github.com')).toHaveLength(2);
    expect(await countFiles(db)).toBe(postFiles().length);
    expect(await db.staged.count()).toBe(0);
  }, 120_000);

  it('stops at a repository that does not exist, with a clear message and nothing changed', async () => {
    await run(society());
    const before = await archiveSnapshot();
    const missing = githubSource({ repository: 'NodeBE4/nothing-here' });
    await expect(run(missing)).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('NodeBE4/nothing-here') });
    expect(await archiveSnapshot()).toEqual(before);
  }, 120_000);

  it('explains a rate limit, until when, and suggests a token', async () => {
    github.rateLimit.remaining = 0;
    const error = await run(society()).catch((e: SyncError) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('rate-limited');
    expect((error as SyncError).message).toMatch(/rate limit is used up until .*personal access token/);
  });

  it('says when GitHub refuses the token, and sends the token only to GitHub', async () => {
    await expect(run(society(), { token: 'ghp_wrong' })).rejects.toMatchObject({ kind: 'unauthorized' });
    github.clearLog();
    const { outcome } = await run(society(), { token: 'ghp_valid_test_token' });
    expect(outcome.result).toBe('updated');
    expect(github.log.filter((r) => r.host === 'api.github.com').every((r) => r.authorized)).toBe(true);
  }, 120_000);

  it('leaves the archive as it was when cancelled mid-download', async () => {
    await db.sources.put({ ...society(), id: 'other', name: 'other' });
    const controller = new AbortController();
    const http = new Http({ fetch: github.fetch, signal: controller.signal, backoffMs: [] });
    const source = society();
    await db.sources.put(source);
    const sync = syncGithub({ db, http, token: null, report: (p) => { if (p.phase === 'reading' && p.done > 1000) controller.abort(); } }, source);
    await expect(sync).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await archiveSnapshot()).toEqual({ posts: 0, files: 0, staged: 0 });
    expect(await db.jobs.count()).toBe(0);
  }, 120_000);

  it("stops at the reader's storage limit and leaves the archive as it was", async () => {
    // Storage grows with every batch saved; the limit is passed at the fourth.
    let usage = 0;
    guardStorage(storageGuard(async () => ({ usage: (usage += 300e6) }), async () => 1));
    try {
      const source = society();
      await db.sources.put(source);
      await expect(run(source)).rejects.toMatchObject({ kind: 'storage-limit', userMessage: { code: 'storageLimit', args: ['1'] } });
      expect(await archiveSnapshot()).toEqual({ posts: 0, files: 0, staged: 0 });
      expect(await db.jobs.count()).toBe(0);
      expect(usage).toBe(1_200e6);
    } finally {
      guardStorage(null);
    }
    // Under the limit, the same sync completes.
    guardStorage(storageGuard(async () => ({ usage: 100e6 }), async () => 1));
    try {
      expect((await run(society())).outcome).toMatchObject({ result: 'updated' });
    } finally {
      guardStorage(null);
    }
  }, 120_000);

  it('resumes an interrupted sync from its checkpoint without duplicating anything', async () => {
    // The download breaks off and retries run out, as when a service worker is stopped:
    // the job and what it had read stay staged, invisible to lookups.
    github.fault('truncate', 'codeload.github.com', '', 1);
    const source = society();
    await db.sources.put(source);
    const http = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [] });
    await expect(syncGithub({ db, http, token: null, report: () => {} }, source)).rejects.toMatchObject({ transient: true });
    // What it had read is saved in the next generation, which lookups do not show.
    const staged = await countFiles(db);
    expect(staged).toBeGreaterThan(0);
    expect(await db.jobs.count()).toBe(1);
    expect((await lookupVideo(db, 'GorsYGIeIK4')).archived).toHaveLength(0);
    // As a worker that starts again: the job's live index is gone, and is built again from what was saved.
    forgetLiveIndex((await db.jobs.toArray())[0]!);
    // The next start picks the job up: no new listing, the saved files are skipped.
    github.clearLog();
    const progress: SyncProgress[] = [];
    const resumed = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [] });
    const outcome = await syncGithub({ db, http: resumed, token: null, report: (p) => progress.push(p) }, (await db.sources.get(source.id))!);
    expect(outcome.result).toBe('updated');
    expect(github.log.map((r) => r.host)).toEqual(['codeload.github.com']);
    expect(progress.find((p) => p.phase === 'downloading')!.done).toBe(staged);
    expect(await countFiles(db, source.id)).toBe(postFiles().length);
    expect(await db.staged.count()).toBe(0);
    expect(await db.jobs.count()).toBe(0);
    // Every post once, each found by its key alone (the twins of posts saved before the restart were merged into them).
    const synced = (await db.sources.get(source.id))!;
    const stored = await storedPosts(db, source.id);
    expect(new Set(stored.map((p) => p.key)).size).toBe(stored.length);
    expect(stored.length).toBe(synced.postCount);
    forgetCachedPacks();
    expect((await getPosts(db, stored.map((p) => p.key))).every((p, i) => p?.key === stored[i]!.key)).toBe(true);
    expect((await lookupVideo(db, 'GorsYGIeIK4')).archived).toHaveLength(1);
  }, 120_000);

  it('rejects a repository that is not an archive', async () => {
    const plain = ArchiveRepo.withFiles({ 'README.md': '# hello', 'src/index.js': 'console.log(1)' });
    github.addRepo('someone', 'plain', plain);
    await expect(run(githubSource({ repository: 'someone/plain' }))).rejects.toMatchObject({ kind: 'not-an-archive' });
    plain.dispose();
  });
});

describe('GitHub sync with a download that outruns it (sync/spool.ts)', () => {
  /** A spool as the Cache API is: the whole body taken in, then read back; what it held and let go is recorded. */
  function memorySpool(options: { full?: boolean } = {}) {
    const spooled: number[] = [];
    let released = 0;
    let readBack = 0;
    const store: Spool = async (response) => {
      if (options.full) {
        // As the Cache API fails a put: its body read no further.
        await response.body?.cancel();
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      spooled.push(bytes.length);
      // Read back from "disk" 64 KiB at a time, as asked.
      let at = 0;
      // Nothing read before it is asked for.
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          const piece = bytes.slice(at, (at += 64 << 10));
          readBack += piece.length;
          controller.enqueue(piece);
        },
      }, { highWaterMark: 0 });
      return { response: new Response(body), release: async () => void released++ };
    };
    return { store, spooled, released: () => released, readBack: () => readBack };
  }

  /**
   * GitHub as Firefox reads it from a fast network: the tarball's first
   * chunks as they come (64 KiB), then the rest in chunks of 1 MB (what had
   * piled up while the sync read the last).
   */
  const pilingUp = (breaking = { downloads: 0, after: Infinity }): typeof github.fetch => async (url, init) => {
    const response = await github.fetch(url, init);
    if (!String(url).includes('codeload.github.com') || !response.ok) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    // The first `breaking.downloads` break off `breaking.after` bytes in, as a dropped connection does.
    const breaksAt = breaking.downloads-- > 0 ? breaking.after : Infinity;
    let at = 0;
    let handed = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= breaksAt) return controller.error(new TypeError('NetworkError when attempting to fetch resource.'));
        if (at >= bytes.length) return controller.close();
        const chunk = handed++ < 3 ? 64 << 10 : 1 << 20;
        controller.enqueue(bytes.slice(at, (at += chunk)));
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };

  async function spooledRun(spool: ReturnType<typeof memorySpool>, fetch = pilingUp(), paced?: (response: Response) => boolean) {
    const progress: SyncProgress[] = [];
    const http = new Http({ fetch, signal: new AbortController().signal, backoffMs: [1, 1, 1] });
    const source = society();
    await db.sources.put(source);
    // A chunk of more than 256 KiB says the download runs ahead (16 MiB in the product; society's tarball is 9 MB).
    // Reads of these bodies never wait, which two seconds of would say as well: these tests are of the chunks (spool.test.ts of the reads).
    const outcome = await syncGithub({ db, http, token: null, report: (p) => progress.push(p), spool: { store: spool.store, aheadBytes: 256 << 10, aheadMs: Infinity, ...(paced ? { paced } : {}) } }, source);
    return { outcome, progress, http };
  }

  it('reads on from its copy on disk once the download runs ahead, and lets the copy go', async () => {
    const spool = memorySpool();
    const { outcome, http } = await spooledRun(spool);
    expect(outcome.result).toBe('updated');
    expect(await countFiles(db)).toBe(postFiles().length);
    // Downloaded once: the copy, kept from the first byte, is the whole download, and the sync read on from it.
    const downloads = github.log.filter((r) => r.host === 'codeload.github.com');
    expect(downloads).toHaveLength(1);
    expect(spool.spooled).toEqual([downloads[0]!.bytes]);
    expect(spool.readBack()).toBe(downloads[0]!.bytes);
    expect(spool.released()).toBe(1);
    expect(await db.staged.count()).toBe(0);
    // Each byte counted once, as a sync that reads the download as it streams counts it.
    db = openArchive(`sync-${++n}`);
    expect((await run(society())).http.bytes).toBe(http.bytes);
  }, 120_000);

  it('reads a download that keeps pace as it streams, never from its copy, which goes', async () => {
    const spool = memorySpool();
    const { outcome, http } = await spooledRun(spool, github.fetch);
    expect(outcome.result).toBe('updated');
    expect(spool.readBack()).toBe(0);
    expect(spool.released()).toBe(1);
    expect(github.log.filter((r) => r.host === 'codeload.github.com')).toHaveLength(1);
    // Its bytes counted as a sync without a spool counts them.
    db = openArchive(`sync-${++n}`);
    expect((await run(society())).http.bytes).toBe(http.bytes);
  }, 120_000);

  it("keeps nothing on disk of a download that comes at the sync's pace, however its reads go (Chromium, background/download-pacing.ts)", async () => {
    const spool = memorySpool();
    const asked: string[] = [];
    const { outcome } = await spooledRun(spool, pilingUp(), (response) => (asked.push(response.url || 'the tarball'), true));
    expect(outcome.result).toBe('updated');
    expect(await countFiles(db)).toBe(postFiles().length);
    expect(spool.spooled).toHaveLength(0);
    // Asked of the download once (the listing is never kept on disk).
    expect(asked).toHaveLength(1);
  }, 120_000);

  it('downloads again when the download breaks off while it goes to disk, and lets each copy go', async () => {
    const spool = memorySpool();
    // Broken off 3 MB in, twice: after the first part was read as it came, while the rest went to disk.
    const { outcome } = await spooledRun(spool, pilingUp({ downloads: 2, after: 3 << 20 }));
    expect(outcome.result).toBe('updated');
    expect(github.log.filter((r) => r.host === 'codeload.github.com')).toHaveLength(3);
    // Only the third download's copy was whole; none is kept.
    expect(spool.spooled).toHaveLength(1);
    expect(spool.released()).toBe(1);
    expect(await countFiles(db)).toBe(postFiles().length);
    expect(await db.staged.count()).toBe(0);
  }, 120_000);

  it('stops reading the copy on disk at once when cancelled, and leaves the archive as it was', async () => {
    const spool = memorySpool();
    const controller = new AbortController();
    const http = new Http({ fetch: pilingUp(), signal: controller.signal, backoffMs: [] });
    const source = society();
    await db.sources.put(source);
    const sync = syncGithub({ db, http, token: null, report: (p) => { if (p.phase === 'reading' && p.done >= 2000) controller.abort(); }, spool: { store: spool.store, aheadBytes: 256 << 10, aheadMs: Infinity } }, source);
    await expect(sync).rejects.toMatchObject({ kind: 'cancelled' });
    expect(spool.spooled).toHaveLength(1);
    // Cancelled once the first batch of 2,000 posts (of 15,000) was saved, with at most two more read
    // ahead (16 % of the copy here): far from its end. A network read stops with the cancel, and so does this one.
    expect(spool.readBack()).toBeLessThan(spool.spooled[0]! / 2);
    expect(spool.released()).toBe(1);
    expect(await countStored(db)).toBe(0);
    expect(await countFiles(db)).toBe(0);
    expect(await db.staged.count()).toBe(0);
    expect(await db.jobs.count()).toBe(0);
  }, 120_000);

  it("stops its copy's download when the sync stops before the download ends", async () => {
    const spool = memorySpool();
    let tarballSignal: AbortSignal | undefined;
    // GitHub's download broken 1 MB in: bytes that are no gzip, 64 KiB at a time as a download that keeps
    // pace comes, then nothing more until the request is stopped. The sync fails there, its download unfinished.
    const broken: typeof github.fetch = async (url, init) => {
      const response = await github.fetch(url, init);
      if (!String(url).includes('codeload.github.com') || !response.ok) return response;
      const signal = (tarballSignal = init?.signal ?? undefined);
      const bytes = new Uint8Array(await response.arrayBuffer()).slice(0, 4 << 20).fill(7, 1 << 20);
      let at = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at < bytes.length) return controller.enqueue(bytes.slice(at, (at += 64 << 10)));
          return new Promise<void>((resolve) => signal?.addEventListener('abort', () => (controller.error(signal.reason), resolve())));
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    await expect(spooledRun(spool, broken)).rejects.toMatchObject({ kind: 'bad-archive' });
    expect(tarballSignal?.aborted).toBe(true);
    // The copy was never whole: nothing of it was kept or read.
    expect(spool.spooled).toEqual([]);
    expect(spool.readBack()).toBe(0);
    expect(await countStored(db)).toBe(0);
  }, 120_000);

  it('says the disk is full when the download cannot be kept, and leaves the archive as it was', async () => {
    await expect(spooledRun(memorySpool({ full: true }))).rejects.toMatchObject({ kind: 'storage-full' });
    expect(await countStored(db)).toBe(0);
    expect(await countFiles(db)).toBe(0);
    expect(await db.staged.count()).toBe(0);
  }, 120_000);
});

describe("GitHub sync's commit", () => {
  it("counts a first sync's files as they are written, failures and all, and reads none of them back", async () => {
    const post = (n: number) => seedText().replace('title: "', `title: "${n} `);
    const files: Record<string, string> = { '_config.yml': 'url: https://example.github.io\n', '_posts/broken.md': 'not a post at all', '_posts/2025-01-01-empty.md': '' };
    for (let n = 0; n < 7; n++) files[`_posts/2025-02-0${n + 1}-post.md`] = post(n);
    const small = ArchiveRepo.withFiles(files);
    try {
      github.addRepo('someone', 'tallied', small);
      let filesRead = 0;
      const reading = () => void filesRead++;
      db.files.hook('reading', reading);
      // Batches of 3: the tally adds up several transactions.
      const { outcome } = await run(githubSource({ repository: 'someone/tallied' }), { batch: 3 });
      db.files.hook('reading').unsubscribe(reading);
      expect(outcome).toMatchObject({ result: 'updated', counts: { added: 9, changed: 0, removed: 0 } });
      const source = (await db.sources.get('github:someone/tallied'))!;
      expect(source.failureCount).toBe(2);
      expect(source.failures!.map((f) => [f.path, f.reason]).sort()).toEqual([['_posts/2025-01-01-empty.md', expect.any(String)], ['_posts/broken.md', 'no-front-matter']]);
      expect(filesRead).toBe(0);
      // What a walk of the stored files says (a commit without the tally: a job resumed elsewhere).
      expect(await countFiles(db, source.id)).toBe(9);
    } finally {
      small.dispose();
    }
  }, 60_000);
});

describe("GitHub sync's batches", () => {
  it('end at their posts\' bytes as well as their count: a batch of long posts holds no more text than one of society\'s', async () => {
    // Six posts of about 210 KB: with batches of 500 posts (about 500 KB of society's), three a batch.
    const files: Record<string, string> = { '_config.yml': 'url: https://example.github.io\n' };
    for (let n = 0; n < 6; n++) files[`_posts/2025-02-0${n + 1}-long.md`] = seedText().replace('title: "', `title: "${n} `).replace('<div>', `<div>${'長文'.repeat(35_000)}`);
    const long = ArchiveRepo.withFiles(files);
    try {
      github.addRepo('someone', 'long', long);
      const { outcome, progress } = await run(githubSource({ repository: 'someone/long' }));
      expect(outcome).toMatchObject({ result: 'updated', counts: { added: 6 } });
      const saved = [...new Set(progress.filter((p) => p.phase === 'reading' && p.done > 0).map((p) => p.done))];
      expect(saved).toEqual([3, 6]);
      const source = (await db.sources.get('github:someone/long'))!;
      expect(source.postCount).toBe(6);
    } finally {
      long.dispose();
    }
  }, 60_000);
});

describe('GitHub sync of an archive laid out otherwise', () => {
  it("reads _config.yml before posts that come before it in GitHub's tarball (its time zone dates them)", async () => {
    // `Archive/` sorts before `_config.yml` in git's order: its posts come first in the tarball.
    const post = seedText().replace(/^date: .*$/m, 'date: 2025-02-02 22:00:00');
    const small = ArchiveRepo.withFiles({
      'Archive/2025-02-02-early.md': post,
      '_config.yml': 'url: https://example.github.io\ntimezone: Asia/Shanghai\n',
      '_posts/2025-02-02-late.md': post.replace('title: "', 'title: "late '),
    });
    try {
      github.addRepo('someone', 'laid-out', small);
      const source = githubSource({ repository: 'someone/laid-out', folders: 'Archive, _posts' });
      await run(source);
      const posts = await storedPosts(db, source.id);
      expect(posts.map((p) => [p.path, p.date]).sort()).toEqual([
        ['Archive/2025-02-02-early.md', '2025-02-02T14:00:00.000Z'],
        ['_posts/2025-02-02-late.md', '2025-02-02T14:00:00.000Z'],
      ]);
      // A layout that needs no extra request (society's) makes none: see the first test.
      expect(github.log.filter((r) => r.path.endsWith('/_config.yml'))).toHaveLength(1);
    } finally {
      small.dispose();
    }
  }, 60_000);
});

describe('GitHub sync of later changes', () => {
  const master = () => ({ ...society(), github: { ...society().github!, branch: 'master' } });

  it("takes an edit of an archived post's tags even when a stale _posts/ twin of it remains", async () => {
    const source = master();
    await run(source);
    const files = postFiles();
    const archivedByName = new Map(files.filter((f) => f.startsWith('archived/')).map((f) => [f.slice(f.lastIndexOf('/') + 1), f]));
    const stale = files.find((f) => f.startsWith('_posts/') && archivedByName.has(f.slice('_posts/'.length)) && repo.read(f) === repo.read(archivedByName.get(f.slice('_posts/'.length))!))!;
    const archived = archivedByName.get(stale.slice('_posts/'.length))!;
    const original = repo.read(archived);
    repo.commit('retag', { write: { [archived]: original.replace(/^tags: \[(.*)\]$/m, 'tags: [$1, 新標籤 ]') } });
    const { outcome } = await run((await db.sources.get(source.id))!);
    expect(outcome).toMatchObject({ result: 'updated', mode: 'incremental', counts: { changed: 1 } });
    const gen = (await db.sources.get(source.id))!.gen ?? 0;
    const file = (await filesOf(db, source.id, gen)).get(archived)!;
    const post = (await getPost(db, postKey(source.id, gen, file.postId!)))!;
    expect(post.tags).toContain('新標籤');
    expect(post.paths.sort()).toEqual([archived, stale].sort());
    repo.commit('undo retag', { write: { [archived]: original } });
  }, 120_000);

  it('does not download a file the tree lists as too large to be a post', async () => {
    const source = master();
    await run(source);
    const huge = '_posts/2026-11-28-huge.md';
    repo.commit('huge', { write: { [huge]: `---\ntitle: "huge"\n---\n${'x'.repeat(9 * 1024 * 1024)}` } });
    github.clearLog();
    const { outcome } = await run((await db.sources.get(source.id))!);
    expect(outcome).toMatchObject({ result: 'updated', mode: 'incremental', counts: { added: 1 } });
    expect(github.log.filter((r) => r.host === 'raw.githubusercontent.com')).toHaveLength(0);
    const after = (await db.sources.get(source.id))!;
    expect(after.failures).toEqual([{ path: huge, reason: 'too-large', message: expect.stringContaining('too large') }]);
    repo.commit('undo huge', { remove: [huge] });
  }, 120_000);

  it('reads the folders a source now names even when the branch has not moved', async () => {
    const only = { ...master(), github: { ...master().github!, folders: ['_posts'] } };
    await run(only);
    const postsOnly = (await db.sources.get(only.id))!.postCount;
    expect(postsOnly).toBeGreaterThan(0);
    // The user adds the source again with both folders: the next sync reads archived/ too.
    await db.sources.update(only.id, { 'github.folders': ['_posts', 'archived'] });
    const { outcome } = await run((await db.sources.get(only.id))!);
    expect(outcome.result).toBe('updated');
    const after = (await db.sources.get(only.id))!;
    expect(after.postCount).toBeGreaterThan(postsOnly + 10_000);
    expect(after.github!.syncedFolders).toEqual(['_posts', 'archived']);
    // And then it is up to date again, in one request.
    github.clearLog();
    expect((await run(after)).outcome).toEqual({ result: 'up-to-date' });
    expect(github.log).toHaveLength(1);
  }, 120_000);

  it('marks as synced only the folders a resumed sync read, so a folder added while it was failing is read next time', async () => {
    const only = { ...master(), github: { ...master().github!, folders: ['_posts'] } };
    await run(only);
    const postsOnly = (await db.sources.get(only.id))!.postCount;
    // A change to fetch, and the fetch fails until the retries run out: the incremental job is kept.
    const added = '_posts/2026-11-30-resumed.md';
    repo.commit('one more', { write: { [added]: seedText().replace('title:', 'title: resumed') } });
    github.fault('status-500', 'raw.githubusercontent.com', '', 1);
    const failing = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [] });
    await expect(syncGithub({ db, http: failing, token: null, report: () => {} }, (await db.sources.get(only.id))!)).rejects.toMatchObject({ transient: true });
    expect((await db.jobs.get(only.id))?.mode).toBe('incremental');
    // Meanwhile the reader adds archived/; the kept job, planned for _posts/ alone, is resumed.
    await db.sources.update(only.id, { 'github.folders': ['_posts', 'archived'] });
    expect((await run((await db.sources.get(only.id))!)).outcome.result).toBe('updated');
    const resumed = (await db.sources.get(only.id))!;
    expect(resumed.postCount).toBe(postsOnly + 1);
    expect(resumed.github!.syncedFolders).toEqual(['_posts']);
    // So the next sync reads archived/ too.
    expect((await run(resumed)).outcome.result).toBe('updated');
    const after = (await db.sources.get(only.id))!;
    expect(after.postCount).toBeGreaterThan(postsOnly + 10_000);
    expect(after.github!.syncedFolders).toEqual(['_posts', 'archived']);
    repo.commit('undo one more', { remove: [added] });
  }, 120_000);

  it('keeps counting the failures past the list it keeps when an incremental sync adds one', async () => {
    const source = master();
    await run(source);
    // As after a full sync of an archive with 8,000 broken files: 5,000 of them named.
    const listed = Array.from({ length: 5_000 }, (_, i) => ({ path: `_posts/broken-${i}.md`, reason: 'no-front-matter', message: 'no front matter' }));
    await db.sources.update(source.id, { failureCount: 8_000, failures: listed });
    const broken = '_posts/2026-11-30-broken.md';
    repo.commit('a broken post', { write: { [broken]: 'not a post' } });
    expect((await run((await db.sources.get(source.id))!)).outcome).toMatchObject({ result: 'updated', mode: 'incremental' });
    const after = (await db.sources.get(source.id))!;
    expect(after.failureCount).toBe(8_001);
    expect(after.failures!.some((f) => f.path === broken)).toBe(true);
    repo.commit('undo a broken post', { remove: [broken] });
  }, 120_000);
});
