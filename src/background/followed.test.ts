// Following society's published index through the background's requests, as
// the options page, the panel and the marks ask, against a local GitHub
// Pages that serves what `archive-lens publish` wrote.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/cli';
import { FakePages } from '../../test/support/fake-pages';
import { publishedText, SOCIETY_TARBALL, writePublished } from '../../test/support/archives';
import { membershipOf, type MembershipData } from '../core/membership';
import { shardOf, type LookupShard, type PublishedManifest } from '../core/published';
import type { ArchiveStats, Envelope, LibraryOverview, LookupResult, PostView, SearchHit, SourceView, VideoMark } from '../shared/messages';
import { db, setBuiltinRemoved } from './archive';
import { CHECK_EVERY_MS } from './followed';
import { followed, handleMessage, lookups } from './router';
import { githubSource } from '../sync/sources';

const page = { id: 'archivelens-test', url: 'chrome-extension://archivelens-test/src/options/index.html' };
const tab = { id: 'archivelens-test', url: 'https://www.youtube.com/watch?v=x', tab: { id: 7 } } as never;
async function ask<T>(message: object, sender: object = page): Promise<T> {
  const answer = (await handleMessage(message, sender as never)) as Envelope<T>;
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
}

let tmp: string;
let index: string;
let pages: FakePages;
let manifest: PublishedManifest;
/** A society video with one post, and one of its shard's neighbours. */
const VIDEO = 'GorsYGIeIK4';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'archivelens-followed-'));
  index = join(tmp, 'site', 'archivelens');
  const { code } = await runCli('publish', SOCIETY_TARBALL, '--out', index, '--repo', 'NodeBE4/society');
  expect(code).toBe(0);
  manifest = JSON.parse(readFileSync(join(index, 'manifest.json'), 'utf8')) as PublishedManifest;
  pages = await new FakePages(join(tmp, 'site')).start();
}, 60_000);

afterAll(async () => {
  await pages?.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  await Promise.all([db.followed.clear(), db.shards.clear(), db.followedBytes.clear(), db.sources.clear()]);
  followed.forget();
  lookups.clear();
  pages.log.length = 0;
  pages.failWith = null;
  // No built-in sample here (it would be fetched from the extension's files).
  await setBuiltinRemoved(true);
});
afterEach(() => vi.useRealTimers());

const shardPath = (video: string) => `/society/archivelens/lookup/${shardOf(video, manifest.shardBits)}.json.gz`;
const follow = () => ask<{ source: SourceView; stats: ArchiveStats }>({ type: 'followIndex', url: pages.url });

describe('following a published index', () => {
  it("is added from its site's address, fetching the manifest and the filters only", async () => {
    const { source, stats } = await follow();
    expect(source).toMatchObject({ kind: 'published', name: 'NodeBE4/society', postCount: manifest.posts, published: { url: `${pages.url}archivelens/`, repository: 'NodeBE4/society', videos: manifest.videos } });
    expect(stats.sources.map((s) => s.id)).toContain(source.id);
    // The site's root has no manifest; its archivelens/ folder has.
    expect(pages.log.map((r) => `${r.status} ${r.path}`)).toEqual([
      '404 /society/manifest.json', '200 /society/archivelens/manifest.json', '200 /society/archivelens/members.bin', '200 /society/archivelens/mentions.bin',
    ]);
  });

  it('says clearly when an address holds no index', async () => {
    await expect(ask({ type: 'followIndex', url: `${pages.url}nothing/` })).rejects.toThrow(/no ArchiveLens index at .*nothing\//);
    await expect(ask({ type: 'followIndex', url: 'not an address' })).rejects.toThrow(/Enter the address/);
    expect(await db.followed.count()).toBe(0);
  });

  it("shows a video's posts from one shard, named by a hash prefix, and asks the host again only after an hour", async () => {
    await follow();
    pages.log.length = 0;
    const result = await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    const expected = (JSON.parse(publishedText(join(index, shardPath(VIDEO).replace('/society/archivelens/', '')))) as LookupShard).videos[VIDEO]!;
    expect(result.archived).toHaveLength(expected.length);
    expect(result.archived[0]).toMatchObject({ videoId: VIDEO, sourceName: 'NodeBE4/society', builtin: false });
    expect(result.archived[0]!.title.length).toBeGreaterThan(0);
    // One request, and no video id in it.
    expect(pages.log.map((r) => r.path)).toEqual([shardPath(VIDEO)]);
    expect(JSON.stringify(pages.log.map((r) => [r.path, r.headers]))).not.toContain(VIDEO);

    // Again (a new panel): from the cache, no request.
    lookups.clear();
    await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    expect(pages.log).toHaveLength(1);

    // An hour later: asked again with the ETag, answered 304; the manifest too.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + CHECK_EVERY_MS + 1000);
    lookups.clear();
    const later = await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    expect(later.archived.map((p) => p.title)).toEqual(result.archived.map((p) => p.title));
    await vi.waitFor(() => expect(pages.log.filter((r) => r.path.endsWith('manifest.json'))).toHaveLength(1));
    expect(pages.log.slice(1).map((r) => `${r.status} ${r.path.replace('/society/archivelens/', '')}`).sort()).toEqual(['304 manifest.json', `304 ${shardPath(VIDEO).replace('/society/archivelens/', '')}`].sort());
    expect(pages.log.slice(1).every((r) => typeof r.headers['if-none-match'] === 'string')).toBe(true);
  });

  it('shows the posts that only link or embed a video, from its shard, a page at a time', async () => {
    // The video society's posts mention most (213 files; twins count once).
    let most: [string, unknown[]] = ['', []];
    for (const name of readdirSync(join(index, 'lookup'))) {
      const shard = JSON.parse(publishedText(join(index, 'lookup', name))) as LookupShard;
      for (const entry of Object.entries(shard.mentions ?? {})) if (entry[1].length > most[1].length) most = entry;
    }
    expect(most[1].length).toBeGreaterThan(100);
    await follow();
    pages.log.length = 0;
    const result = await ask<LookupResult>({ type: 'lookup', videoId: most[0] }, tab);
    expect(result.mentioned).toHaveLength(20);
    expect(result.mentionedTotal).toBe(most[1].length);
    expect(pages.log.map((r) => r.path)).toEqual([shardPath(most[0])]);
    expect(result.mentioned.map((p) => p.date)).toEqual([...result.mentioned.map((p) => p.date)].sort().reverse());
    const next = await ask<{ posts: PostView[]; total: number }>({ type: 'mentions', videoId: most[0], offset: 20 }, tab);
    expect(next.total).toBe(most[1].length);
    expect(next.posts).toHaveLength(20);
    expect(new Set([...result.mentioned, ...next.posts].map((p) => p.key)).size).toBe(40);
  });

  it('asks nothing for a video the filter says is not archived', async () => {
    await follow();
    pages.log.length = 0;
    const result = await ask<LookupResult>({ type: 'lookup', videoId: 'AAAAAAAAAAA' }, tab);
    expect(result.archived).toEqual([]);
    expect(pages.log).toEqual([]);
  });

  it('answers offline from the cache, and names the source it could not ask', async () => {
    await follow();
    await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    pages.failWith = 503;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + CHECK_EVERY_MS + 1000);
    lookups.clear();
    const offline = await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    expect(offline.archived.length).toBeGreaterThan(0);
    expect(offline.unreachable).toBeUndefined();
    // A video of another shard was never fetched: nothing to show, and the panel is told why.
    const other = Object.keys((JSON.parse(publishedText(join(index, 'lookup', `${(parseInt(shardOf(VIDEO, manifest.shardBits), 16) ^ 8).toString(16).padStart(3, '0')}.json.gz`))) as LookupShard).videos)[0]!;
    const missing = await ask<LookupResult>({ type: 'lookup', videoId: other }, tab);
    expect(missing).toMatchObject({ archived: [], unreachable: ['NodeBE4/society'] });
  });

  it('marks thumbnails of followed videos: the filter travels with the archive\'s, and marks read the shard', async () => {
    await follow();
    const answer = await ask<{ version: string; set: MembershipData }>({ type: 'membership' }, tab);
    expect(answer.set.more).toHaveLength(1);
    expect(membershipOf(answer.set).mayHold(VIDEO)).toBe(true);
    // Asked again with its version: nothing new to send.
    expect((await ask<{ set: unknown }>({ type: 'membership', version: answer.version }, tab)).set).toBeNull();
    const marks = await ask<VideoMark[]>({ type: 'marks', videoIds: [VIDEO, 'AAAAAAAAAAA'] }, tab);
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ videoId: VIDEO });
    expect(marks[0]!.title.length).toBeGreaterThan(0);
  });

  it('reads a followed post\'s text by its key, from the cached shard', async () => {
    await follow();
    const { archived } = await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    const text = await ask<{ text: string; total: number }>({ type: 'postText', key: archived[0]!.key, from: 0, to: 50 }, tab);
    expect(text.total).toBeGreaterThan(0);
    expect(archived[0]!.summary.startsWith(text.text)).toBe(true);
  });

  it('keeps out what a hostile host slips into a shard: posts of videos that belong in other shards', async () => {
    await follow();
    const file = join(index, shardPath(VIDEO).replace('/society/archivelens/', ''));
    const original = publishedText(file);
    try {
      const content = JSON.parse(original) as LookupShard;
      const stranger = 'AAAAAAAAAAA';
      content.videos[stranger] = content.videos[VIDEO]!;
      writePublished(file, JSON.stringify(content));
      await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
      const cached = await db.shards.toArray();
      expect(Object.keys(cached[0]!.videos)).not.toContain(stranger);
    } finally {
      writePublished(file, original);
    }
  });

  it("takes a new build when asked to check (Check now): the filter again, and changed shards at their next use", async () => {
    const { source } = await follow();
    const before = await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    const file = join(index, shardPath(VIDEO).replace('/society/archivelens/', ''));
    const [original, originalManifest] = [publishedText(file), readFileSync(join(index, 'manifest.json'), 'utf8')];
    try {
      const title = before.archived[0]!.title;
      writePublished(file, original.replaceAll(JSON.stringify(title).slice(1, -1), 'A retitled post'));
      writeFileSync(join(index, 'manifest.json'), originalManifest.replace(manifest.build, '0123456789abcdef'));
      pages.log.length = 0;
      await ask({ type: 'syncSource', sourceId: source.id });
      expect(pages.log.map((r) => `${r.status} ${r.path.replace('/society/archivelens/', '')}`)).toEqual(['200 manifest.json', '304 members.bin', '304 mentions.bin']);
      const after = await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
      expect(after.archived[0]!.title).toBe('A retitled post');
    } finally {
      writePublished(file, original);
      writeFileSync(join(index, 'manifest.json'), originalManifest);
    }
  });

  it("answers the popup's search from the index's files, with links to the video and the post on the site", async () => {
    await follow();
    pages.log.length = 0;
    const answer = await ask<{ posts: SearchHit[]; total: number }>({ type: 'search', query: '罗宾', limit: 20 });
    expect(answer.total).toBeGreaterThan(1000);
    expect(answer.posts).toHaveLength(20);
    const hit = answer.posts[0]!;
    expect(hit).toMatchObject({ sourceName: 'NodeBE4/society', builtin: false });
    expect(hit.sourceUrl).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=[\w-]{11}$/);
    expect(hit.fileUrl).toMatch(/^https:\/\/github\.com\/NodeBE4\/society\/blob\//);
    expect(hit.matches!.title.length + hit.matches!.excerpt.ranges.length).toBeGreaterThan(0);
    // Newest first among title matches.
    const titled = answer.posts.filter((p) => p.matches!.title.length);
    expect(titled.map((p) => p.date)).toEqual([...titled.map((p) => p.date)].sort().reverse());
    // The meta file, the gram's row and a few docs files; nothing of the lookup shards.
    const asked = pages.log.map((r) => r.path.replace('/society/archivelens/', ''));
    expect(asked[0]).toBe('search/meta.json.gz');
    expect(asked.filter((p) => p.includes('/rows/'))).toHaveLength(1);
    expect(asked.every((p) => p.startsWith('search/'))).toBe(true);
    expect(asked.length).toBeLessThan(10);
    // Again: from memory.
    pages.log.length = 0;
    await ask({ type: 'search', query: '罗宾', limit: 20 });
    expect(pages.log).toEqual([]);
  });

  it("lists the index in the library: its counts, everything newest first, a query's answers, and a post's whole text", async () => {
    await follow();
    const overview = await ask<LibraryOverview>({ type: 'library' });
    expect(overview.posts).toBe(manifest.posts);
    const channel = overview.channels.find(([name]) => name === '盧保貴');
    expect(channel?.[1]).toBeGreaterThan(1000);
    expect(overview.months.reduce((n, [, c]) => n + c, 0)).toBe(manifest.posts);

    const first = await ask<{ posts: PostView[]; total: number }>({ type: 'browse', query: '', offset: 0, limit: 50 });
    expect(first.total).toBe(manifest.posts);
    expect(first.posts).toHaveLength(50);
    expect(first.posts.map((p) => p.date)).toEqual([...first.posts.map((p) => p.date)].sort().reverse());
    const next = await ask<{ posts: PostView[] }>({ type: 'browse', query: '', offset: 50, limit: 50 });
    expect(next.posts[0]!.date <= first.posts[49]!.date).toBe(true);
    expect(new Set([...first.posts, ...next.posts].map((p) => p.key)).size).toBe(100);

    // A post's rest, read from its video's shard.
    const long = first.posts.find((p) => p.summaryLength && p.videoId)!;
    const rest = await ask<{ text: string; total: number }>({ type: 'postText', key: long.key, from: long.summary.length, to: long.summaryLength! });
    expect(rest.total).toBe(long.summaryLength);
    expect(long.summary.length + rest.text.length).toBe(long.summaryLength);

    const answers = await ask<{ posts: PostView[]; total: number }>({ type: 'browse', query: '罗宾', offset: 0, limit: 20 });
    const later = await ask<{ posts: PostView[]; total: number }>({ type: 'browse', query: '罗宾', offset: 20, limit: 20 });
    expect(later.total).toBe(answers.total);
    expect(new Set([...answers.posts, ...later.posts].map((p) => p.key)).size).toBe(40);
  });

  it('is followed no longer once its whole archive is synced here (Keep a full copy), so no post shows twice', async () => {
    await follow();
    // The sync that "Keep a full copy" started has committed (its record, as a sync leaves it).
    await db.sources.put({ ...githubSource({ repository: 'nodebe4/society' }), commitSha: 'a'.repeat(40), postCount: 15146 });
    await ask({ type: 'archiveChanged' });
    await vi.waitFor(async () => expect(await db.followed.count()).toBe(0));
    const stats = await ask<ArchiveStats>({ type: 'stats' });
    expect(stats.sources.filter((s) => s.kind === 'published')).toEqual([]);
  });

  it('is removed with everything cached of it', async () => {
    const { source } = await follow();
    await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab);
    await ask({ type: 'search', query: '罗宾', limit: 5 });
    // The options page says what is kept for offline use: the tally of the files cached.
    const cached = await db.shards.toArray();
    const row = (await ask<ArchiveStats>({ type: 'stats' })).sources.find((s) => s.id === source.id)!;
    expect(row.published!.cachedBytes).toBe(cached.reduce((n, f) => n + f.bytes, 0));
    expect(row.published!.cachedBytes).toBeGreaterThan(10_000);
    expect(cached.filter((f) => f.shard.startsWith('lookup/'))).toHaveLength(1);
    const stats = await ask<ArchiveStats>({ type: 'removeSource', sourceId: source.id });
    expect(stats.sources.map((s) => s.id)).not.toContain(source.id);
    expect(await db.shards.count()).toBe(0);
    expect((await ask<LookupResult>({ type: 'lookup', videoId: VIDEO }, tab)).archived.filter((p) => p.sourceName === 'NodeBE4/society')).toEqual([]);
  });
});
