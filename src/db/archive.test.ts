import { readFileSync } from 'node:fs';
import { countStored, storedPosts } from '../../test/support/stored-posts';
import { join } from 'node:path';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { parsePost, type Post } from '../core/post';
import { edgeCase, seedText } from '../../test/support/archives';
import { countFiles, filesOf } from './files';
import { importPosts, removeSource, replaceSource } from './import';
import { archiveStats, CountsCache, lookupVideo, mentionPage, type CountsStore } from './queries';
import { searchPosts } from './search';
import { ensureSearchIndex } from './search-index';
import { openArchive, VERSIONS, type ArchiveDb, type SourceRecord } from './schema';

const builtin = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/builtin/archive.json'), 'utf8')) as BuiltinArchive;

let counter = 0;
const opened: ArchiveDb[] = [];
function freshDb(): ArchiveDb {
  const db = openArchive(`test-${++counter}`);
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

function parsed(text: string, path: string): Post {
  const r = parsePost(text, path);
  if (!r.ok) throw new Error(r.error.message);
  return r.post;
}

function source(id: string, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { id, kind: 'github', name: id, repo: null, site: null, postCount: 0, failureCount: 0, importedAt: 0, ...extra };
}

describe('the built-in archive', () => {
  it('imports on first run and answers for the seed video with links', async () => {
    const db = freshDb();
    await importBuiltinArchive(db, builtin);
    const result = await lookupVideo(db, '-VWLP6-06Jc');
    expect(result.archived).toHaveLength(1);
    const [post] = result.archived;
    expect(post!.title).toMatch(/^圍繞深度求索/);
    expect(post!.builtin).toBe(true);
    // Its file is under archived/, which teahouse's _config.yml excludes: the site has no page for it.
    expect(post!.postUrl).toBeNull();
    expect(post!.fileUrl).toMatch(/^https:\/\/github\.com\/NodeBE4\/teahouse\/blob\/master\/archived\/2025-02-02\//);
    const stats = await archiveStats(db);
    const distinct = new Set(builtin.files.map((f) => `${f.source}|${parsed(f.text, f.path).id}`));
    expect(stats.posts).toBe(distinct.size);
    expect(stats.posts).toBeGreaterThan(250);
    expect(stats.sources.map((s) => s.name).sort()).toEqual(['NodeBE4/society', 'NodeBE4/teahouse']);
    expect(stats.sources.every((s) => s.failureCount === 0)).toBe(true);
  });

  it('includes videos with several posts, shown newest first', async () => {
    const db = freshDb();
    await importBuiltinArchive(db, builtin);
    const withHistory = (await storedPosts(db)).reduce((m, p) => m.set(p.videoId!, (m.get(p.videoId!) ?? 0) + 1), new Map<string, number>());
    const videoId = [...withHistory].find(([, n]) => n > 1)?.[0];
    expect(videoId).toBeTruthy();
    const { archived } = await lookupVideo(db, videoId!);
    expect(archived.length).toBeGreaterThan(1);
    const times = archived.map((p) => Date.parse(p.date));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('importing again replaces it instead of duplicating', async () => {
    const db = freshDb();
    await importBuiltinArchive(db, builtin);
    const first = await countStored(db);
    await importBuiltinArchive(db, builtin);
    expect(await countStored(db)).toBe(first);
  });
});

describe('the local archive', () => {
  it('has a versioned schema of packs of posts indexed by post, video (multi-entry) and generation, and nothing it does not read', () => {
    expect(VERSIONS.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(VERSIONS.findLast((v) => v.stores.posts)!.stores.posts).toBe('key, *keys, *videoIds, *mentionIds, [sourceId+gen], *removedKeys');
    expect(VERSIONS.findLast((v) => v.stores.files)!.stores.files).toBe('key, [sourceId+gen]');
    // Followed indexes, and their files cached by source and by when the host last confirmed them (the oldest go first).
    expect(VERSIONS.findLast((v) => v.stores.shards)!.stores.shards).toBe('key, sourceId, checkedAt');
  });

  it('migrates an archive made by version 1 without losing posts', async () => {
    const name = `migrate-${++counter}`;
    const v1 = new Dexie(name);
    v1.version(1).stores(VERSIONS[0]!.stores);
    await v1.open();
    // The rows version 1 wrote: keys without a generation, no failures list.
    const now = freshDb();
    await importBuiltinArchive(now, builtin);
    await v1.table('posts').bulkPut((await storedPosts(now)).map(({ gen: _g, ...p }) => ({ ...p, key: `${p.sourceId}|${p.id}` })));
    await v1.table('sources').bulkPut((await now.sources.toArray()).map(({ gen: _g, failures: _f, searchIndex: _s, ...s }) => s));
    const posts = await v1.table('posts').count();
    v1.close();
    const db = openArchive(name);
    opened.push(db);
    expect(await countStored(db)).toBe(posts);
    expect((await db.sources.toArray()).every((s) => Array.isArray(s.failures))).toBe(true);
    expect((await lookupVideo(db, '-VWLP6-06Jc')).archived).toHaveLength(1);
    expect(await countFiles(db)).toBe(0);
    // Search answers at once by reading the posts, and from the index once the background built it.
    expect((await searchPosts(db, '深度求索')).posts[0]!.videoId).toBe('-VWLP6-06Jc');
    for (const source of await db.sources.toArray()) await ensureSearchIndex(db, source.id);
    expect((await db.sources.toArray()).every((s) => s.searchIndex?.gen === 0)).toBe(true);
    expect((await searchPosts(db, '深度求索')).posts[0]!.videoId).toBe('-VWLP6-06Jc');
  });

  it('migrates the files of version 6 (a row per file) into packs, keeping every path, sha, post and failure', async () => {
    const name = `migrate-${++counter}`;
    const v6 = new Dexie(name);
    for (const v of VERSIONS.filter((v) => v.version <= 6)) v6.version(v.version).stores(v.stores);
    await v6.open();
    const row = (i: number, gen: number) => ({
      key: `github:a/b|${gen}|_posts/p${i}.md`, sourceId: 'github:a/b', gen, path: `_posts/p${i}.md`, sha: `sha${i}`,
      postKey: i % 100 === 7 ? null : `github:a/b|${gen}|video${i}`,
      ...(i % 100 === 7 ? { failure: { path: `_posts/p${i}.md`, reason: 'no-front-matter', message: 'no front matter' } } : {}),
    });
    await v6.table('files').bulkPut([...Array.from({ length: 1200 }, (_, i) => row(i, 3)), row(5, 4)]);
    await v6.table('stagedFiles').put({ ...row(9, 3), stageKey: 'job|_posts/p9.md', jobId: 'job' });
    v6.close();

    const db = openArchive(name);
    opened.push(db);
    const files = await filesOf(db, 'github:a/b', 3);
    expect(files.size).toBe(1200);
    expect(files.get('_posts/p12.md')).toEqual({ path: '_posts/p12.md', sha: 'sha12', postId: 'video12' });
    expect(files.get('_posts/p107.md')).toMatchObject({ postId: null, failure: { reason: 'no-front-matter' } });
    expect(await db.files.where('[sourceId+gen]').equals(['github:a/b', 3]).count()).toBe(3);
    expect([...(await filesOf(db, 'github:a/b', 4)).keys()]).toEqual(['_posts/p5.md']);
    expect(await db.stagedFiles.get('job|_posts/p9.md')).toEqual({ stageKey: 'job|_posts/p9.md', jobId: 'job', path: '_posts/p9.md', sha: 'sha9', postId: 'video9' });
  });

  it('keeps one post for stale twins and remembers both paths, preferring archived/', async () => {
    const db = freshDb();
    const text = seedText();
    await importPosts(db, 's', [parsed(text, '_posts/2025-02-02-x.md'), parsed(text, 'archived/2025-02-02/2025-02-02-x.md')]);
    const records = await storedPosts(db);
    expect(records).toHaveLength(1);
    expect(records[0]!.path).toBe('archived/2025-02-02/2025-02-02-x.md');
    expect(records[0]!.paths).toEqual(['archived/2025-02-02/2025-02-02-x.md', '_posts/2025-02-02-x.md']);
  });

  it("takes a twin's tags and author from the archived/ copy, whichever was read first", async () => {
    const text = seedText();
    const stale = text.replace(/^author: .*$/m, 'author: stale').replace(/^tags: .*$/m, 'tags: [ stale ]');
    for (const order of [0, 1]) {
      const db = freshDb();
      const posts = [parsed(stale, '_posts/2025-02-02-x.md'), parsed(text, 'archived/2025-02-02/2025-02-02-x.md')];
      await importPosts(db, 's', order ? posts.reverse() : posts);
      const [record] = await storedPosts(db);
      expect(record!.author).toBe('老楊到處說');
      expect(record!.tags).not.toContain('stale');
    }
  });

  it('answers lookups and searches when a source holds settings written by strangers', async () => {
    const db = freshDb();
    const seed = parsed(seedText(), '_posts/2025-02-02-x.md');
    // What an older version could have stored from a hostile _config.yml or bundle header.
    const hostile = source('hostile', {
      site: { url: 'https://evil.example', baseurl: '', permalink: 7 } as never,
      repo: { owner: '__proto__', name: 'constructor', branch: 5 } as never,
    });
    await replaceSource(db, hostile, [seed]);
    await replaceSource(db, source('good', { site: { url: 'https://nodebe4.github.io', baseurl: '/teahouse', permalink: 'constructor' } }), [seed]);
    const { archived } = await lookupVideo(db, '-VWLP6-06Jc');
    expect(archived.map((p) => p.sourceName).sort()).toEqual(['good', 'hostile']);
    expect(archived.find((p) => p.sourceName === 'hostile')!.fileUrl).toBeNull();
    expect(archived.find((p) => p.sourceName === 'good')!.postUrl).toBe('https://nodebe4.github.io/teahouse/constructor');
    expect((await searchPosts(db, '深度求索')).total).toBe(2);
  });

  it('sends a page at most 50,000 characters of a post, and bounded titles, authors and tags, however large the post', async () => {
    const db = freshDb();
    const seed = parsed(seedText(), 'archived/2025-02-02/2025-02-02-x.md');
    const huge = { ...seed, title: '標'.repeat(300_000), author: 'a'.repeat(300_000), tags: Array.from({ length: 5_000 }, (_, i) => `t${i}`), summary: `${'字'.repeat(1_000_000)}😀${'尾'.repeat(500_000)}` };
    await replaceSource(db, source('big'), [huge]);
    const [view] = (await lookupVideo(db, '-VWLP6-06Jc')).archived;
    expect(view!.summary.length).toBe(50_000);
    expect(view!.summaryLength).toBe(huge.summary.length);
    expect(view!.title.length).toBe(1_000);
    expect(view!.author.length).toBe(1_000);
    expect(view!.tags).toHaveLength(100);
    // A post of ordinary size is sent whole, as it was.
    await replaceSource(db, source('big'), [seed]);
    const [ordinary] = (await lookupVideo(db, '-VWLP6-06Jc')).archived;
    expect(ordinary!.summary).toBe(seed.summary);
    expect(ordinary!.summaryLength).toBeUndefined();
  });

  it('sends the 20 newest posts that mention a video with the lookup, and the rest a page at a time, newest first', async () => {
    const db = freshDb();
    const seed = parsed(seedText(), 'archived/2025-02-02/2025-02-02-x.md');
    const mentioning = Array.from({ length: 45 }, (_, i): Post => ({
      ...seed, id: `m${i}`, videoId: null, mentions: ['GorsYGIeIK4'] as Post['mentions'], title: `mention ${i}`, time: Date.UTC(2020, 0, 1 + i), date: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
    }));
    await replaceSource(db, source('m'), mentioning);
    const result = await lookupVideo(db, 'GorsYGIeIK4');
    expect(result.mentioned.map((p) => p.title)).toEqual(Array.from({ length: 20 }, (_, i) => `mention ${44 - i}`));
    expect(result.mentionedTotal).toBe(45);
    const second = await mentionPage(db, 'GorsYGIeIK4', 20);
    const third = await mentionPage(db, 'GorsYGIeIK4', 40);
    expect([...result.mentioned, ...second.posts, ...third.posts].map((p) => p.title)).toEqual(Array.from({ length: 45 }, (_, i) => `mention ${44 - i}`));
    expect(third.total).toBe(45);
    // A video mentioned by few is sent whole, with no total.
    expect((await lookupVideo(db, '-VWLP6-06Jc')).mentionedTotal).toBeUndefined();
  });

  it('counts videos and channels once per change of the archive, not on every call', async () => {
    const db = freshDb();
    const counts = new CountsCache(db);
    await importBuiltinArchive(db, builtin);
    const first = await counts.get();
    expect(first.videos).toBeGreaterThan(250);
    await replaceSource(db, source('more'), [parsed(edgeCase('#27 如何成為KOL').text, edgeCase('#27 如何成為KOL').path)]);
    expect(await counts.get()).toBe(await counts.get());
    expect((await counts.get()).videos).toBe(first.videos);
    counts.clear();
    expect((await counts.get()).videos).toBe(first.videos + 1);
  });

  it('answers a restarted worker from the counts it kept, without counting again, until the archive changes', async () => {
    const db = freshDb();
    await importBuiltinArchive(db, builtin);
    let kept: Parameters<CountsStore['set']>[0] | undefined;
    const store: CountsStore = { get: async () => kept, set: async (saved) => void (kept = saved) };
    const first = await new CountsCache(db, undefined, store).get();
    expect(kept?.counts).toEqual(first);
    // A worker started again: a new cache, the same store.
    const counted = vi.fn(async () => 0);
    expect(await new CountsCache(db, counted, store).get()).toEqual(first);
    expect(counted).not.toHaveBeenCalled();
    // Once the archive changed, what was kept is not the answer.
    await replaceSource(db, source('more'), [parsed(edgeCase('#27 如何成為KOL').text, edgeCase('#27 如何成為KOL').path)]);
    const after = await new CountsCache(db, undefined, store).get();
    expect(after.videos).toBe(first.videos + 1);
    expect(kept?.counts).toEqual(after);
  });

  it('keeps retitled posts of one video as its history', async () => {
    const db = freshDb();
    const a = edgeCase('#27 如何成為KOL');
    const b = edgeCase('這堂課教你');
    await db.sources.put(source('s'));
    await importPosts(db, 's', [parsed(a.text, a.path), parsed(b.text, b.path)]);
    const { archived } = await lookupVideo(db, 'pHi5kickHTQ');
    expect(archived).toHaveLength(2);
    // The video linked from a description lists this post as a mention.
    const mention = await lookupVideo(db, 'U1gdn_snih0');
    expect(mention.archived).toHaveLength(0);
    expect(mention.mentioned.map((p) => p.title)).toEqual([parsed(a.text, a.path).title]);
  });

  it('shows a video archived by two sources from both, and removing one source keeps the other', async () => {
    const db = freshDb();
    const seed = parsed(seedText(), 'archived/2025-02-02/x.md');
    await replaceSource(db, source('one'), [seed]);
    await replaceSource(db, source('two'), [seed]);
    expect((await lookupVideo(db, '-VWLP6-06Jc')).archived.map((p) => p.sourceName).sort()).toEqual(['one', 'two']);
    await removeSource(db, 'one');
    expect((await lookupVideo(db, '-VWLP6-06Jc')).archived.map((p) => p.sourceName)).toEqual(['two']);
    expect((await db.sources.toArray()).map((s) => s.id)).toEqual(['two']);
  });

  it('searches titles, channels, tags and text, and finds videos by link', async () => {
    const db = freshDb();
    await importBuiltinArchive(db, builtin);
    const byWords = await searchPosts(db, '深度求索 老楊');
    expect(byWords.posts.map((p) => p.videoId)).toContain('-VWLP6-06Jc');
    const byLink = await searchPosts(db, 'https://youtu.be/-VWLP6-06Jc');
    expect(byLink.posts[0]!.videoId).toBe('-VWLP6-06Jc');
    const none = await searchPosts(db, 'zzzz-no-such-words');
    expect(none).toEqual({ posts: [], total: 0 });
    // Full-width letters match half-width ones.
    expect((await searchPosts(db, 'ＯＰＥＮＡＩ')).total).toBeGreaterThan(0);
  });
});
