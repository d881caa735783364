import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Dexie from 'dexie';
import { parsePost } from '../core/post';
import { edgeCases } from '../../test/support/archives';
import { countStored, societyRecords } from '../../test/support/stored-posts';
import { toRecord } from './import';
import { appendPosts, archivedVideoIds, forgetCachedPacks, countPosts, generationPrefix, countRemovedPosts, deletePosts, eachPost, getPost, getPosts, PACK_POSTS, postsOfVideos, putPosts, removedKeys } from './post-store';
import { markRemoved } from './removed';
import { openArchive, VERSIONS, type ArchiveDb } from './schema';
import { ROW_POSTS, writeDirectory, type PlacedPosts } from './post-directory';
import { hash32 } from '../core/hash';
import { packNumber } from '../core/pack-runs';

const SOURCE = 'github:nodebe4/society';
/** 600 real posts of society, as a sync stores them (generation 1). */
const society = societyRecords(SOURCE, 1, 600);

let db: ArchiveDb;
let counter = 0;
beforeEach(() => {
  db = openArchive(`post-store-${++counter}`);
});
afterEach(async () => {
  await db.delete();
});


/** Posts by place as a live index gives them to a directory ('' for a place without an id). */
function placedAs(ids: string[], pack: (place: number) => number): PlacedPosts {
  return { length: ids.length, hash: (i) => (ids[i] ? hash32(ids[i]!) : -1), ids: (places) => Array.from(places, (p) => ids[p]).join('\n'), pack };
}

describe('posts kept in packs', () => {
  it('keep each post whole while its pack stores only what the pack does not already say, and read posts stored whole before', async () => {
    await appendPosts(db, society);
    const pack = (await db.posts.toArray())[0]!;
    const stored = JSON.parse(pack.posts[0]!) as Record<string, unknown>;
    for (const field of ['key', 'sourceId', 'gen', 'id', 'path']) expect(stored).not.toHaveProperty(field);
    expect(await getPosts(db, society.map((p) => p.key))).toEqual(society);
    // A pack written by an earlier version: every post's text is the whole post.
    const older = { ...pack, key: `${pack.key}-old`, posts: society.filter((p) => pack.keys!.includes(p.key)).map((p) => JSON.stringify(p)) };
    await db.posts.clear();
    forgetCachedPacks();
    await db.posts.put(older);
    const kept = society.filter((p) => pack.keys!.includes(p.key));
    expect(await getPosts(db, kept.map((p) => p.key))).toEqual(kept);
    // A post whose key does not follow its id (never made so, but kept whole if it were) reads back as it was.
    const odd = { ...society[0]!, key: `${SOURCE}|1|another`, path: society[0]!.paths[0]! };
    await db.posts.clear();
    forgetCachedPacks();
    await appendPosts(db, [odd]);
    expect(await getPost(db, odd.key)).toEqual(odd);
  });

  it('stores a sync\'s posts in few records and finds each by key, video and generation', async () => {
    await appendPosts(db, society);
    const packs = await db.posts.count();
    // Full packs, but where long posts close one early.
    expect(packs).toBeGreaterThanOrEqual(Math.ceil(society.length / PACK_POSTS));
    expect(packs).toBeLessThan(society.length / 8);
    expect(packs).toBeGreaterThan(1);
    expect(await countPosts(db, SOURCE, 1)).toBe(society.length);
    expect(await countPosts(db, SOURCE, 2)).toBe(0);
    const some = [society[0]!, society[333]!, society[society.length - 1]!];
    expect(await getPosts(db, [...some.map((p) => p.key), `${SOURCE}|1|nothing`])).toEqual([...some, undefined]);
    const withVideo = society.find((p) => p.videoIds.length)!;
    expect((await postsOfVideos(db, 'videoIds', [withVideo.videoIds[0]!])).map((p) => p.key)).toContain(withVideo.key);
    expect(new Set(await archivedVideoIds(db))).toEqual(new Set(society.flatMap((p) => p.videoIds)));
    const walked: string[] = [];
    await eachPost(db, SOURCE, 1, (posts) => void walked.push(...posts.map((p) => p.key)));
    expect(walked).toEqual(society.map((p) => p.key));
  });

  it('reads posts from the packs it is told hold them, and still finds a post its pack no longer holds', async () => {
    const placed = new Map<string, string>();
    await appendPosts(db, society, placed);
    expect(placed.size).toBe(society.length);
    for (const pack of await db.posts.toArray()) for (const key of pack.keys!) expect(placed.get(key)).toBe(pack.key);
    const some = [society[1]!, society[200]!, society[201]!, society[599]!];
    const keysIndex = vi.spyOn(db.posts, 'where');
    forgetCachedPacks();
    expect(await getPosts(db, some.map((p) => p.key), some.map((p) => placed.get(p.key)))).toEqual(some);
    // Read by the packs' own keys: not one request through the posts' index.
    expect(keysIndex).not.toHaveBeenCalled();
    keysIndex.mockRestore();
    // A pack that does not hold the post, one that is gone, and a post deleted since: the others are found all the same.
    const [a, b, c, d] = some;
    await deletePosts(db, [d!.key]);
    forgetCachedPacks();
    const hints = [placed.get(c!.key) === placed.get(a!.key) ? placed.get(society[599]!.key) : placed.get(c!.key), `${SOURCE}|1|~gone`, undefined, placed.get(d!.key)];
    expect(await getPosts(db, [a!.key, b!.key, c!.key, d!.key], hints)).toEqual([a, b, c, undefined]);
  });

  it('finds the posts of packs a full sync wrote through their directory, in no index, as they change', async () => {
    const placed = new Map<string, string>();
    await appendPosts(db, society, placed, true);
    const keys = society.map((p) => p.key);
    const prefix = generationPrefix(SOURCE, 1);
    expect(await db.posts.where('keys').between(prefix, `${prefix}\uffff`).count()).toBe(0);
    // Until its directory is written, only their packs' keys find them (a running sync's index knows them).
    forgetCachedPacks();
    expect((await getPosts(db, keys)).filter(Boolean)).toHaveLength(0);
    expect(await getPosts(db, keys, keys.map((k) => placed.get(k)))).toEqual(society);
    // Ids and packs by place, as a live index gives them; a place left empty (a post indexed again later) and one of no pack are left out.
    const places = [...society.map((p) => ({ id: p.id, pack: packNumber(prefix, placed.get(p.key)!) })), { id: '', pack: 1 }, { id: 'nowhere', pack: NaN }];
    await writeDirectory(db, SOURCE, 1, placedAs(places.map((p) => p.id), (i) => places[i]!.pack));
    const rows = (await db.posts.where('[sourceId+gen]').equals([SOURCE, 1]).toArray()).filter((r) => !r.posts);
    expect(rows.length).toBe(Math.ceil(places.length / ROW_POSTS) + 1);
    // Read by key alone, by a connection that never saw them written; walks of the generation see only posts.
    const other = openArchive(db.name);
    expect(await getPosts(other, [...keys].reverse())).toEqual([...society].reverse());
    expect(await countPosts(other, SOURCE, 1)).toBe(society.length);
    other.close();
    // Changed in its pack, deleted, written again after a delete (into a pack of the index): found as it is now.
    const [a, b, c] = [society[3]!, society[300]!, society[599]!];
    expect(await putPosts(db, [{ ...a, title: 'changed' }])).toBe(0);
    expect(await deletePosts(db, [b.key, c.key])).toBe(2);
    expect(await putPosts(db, [{ ...c, title: 'back' }])).toBe(1);
    forgetCachedPacks();
    expect((await getPosts(db, [a.key, b.key, c.key])).map((p) => p?.title)).toEqual(['changed', undefined, 'back']);
    expect(await db.posts.where('keys').between(prefix, `${prefix}\uffff`).count()).toBe(1);
    expect(await countPosts(db, SOURCE, 1)).toBe(society.length - 1);
    // The source removed and added again: its generation's number comes back, with another directory.
    await db.posts.where('[sourceId+gen]').equals([SOURCE, 1]).delete();
    const fewer = society.slice(0, 100);
    const again = new Map<string, string>();
    await appendPosts(db, fewer, again, true);
    await writeDirectory(db, SOURCE, 1, placedAs(fewer.map((p) => p.id), (i) => packNumber(prefix, again.get(fewer[i]!.key)!)));
    forgetCachedPacks();
    expect(await getPosts(db, fewer.map((p) => p.key))).toEqual(fewer);
  });

  it("finds a full sync's posts by video through its generation's video directory while the source shows that generation, and what changes since through the index", async () => {
    const placed = new Map<string, string>();
    await appendPosts(db, society, placed, true);
    const prefix = generationPrefix(SOURCE, 1);
    const videos = [...new Set(society.flatMap((p) => p.videoIds))];
    expect(await db.posts.where('videoIds').anyOf(videos).count()).toBe(0);
    // Videos and packs by place, as a live index gives them (a post without a video is not listed), beside the posts' directory, as a commit writes them.
    const pack = (i: number) => packNumber(prefix, placed.get(society[i]!.key)!);
    await writeDirectory(db, SOURCE, 1, placedAs(society.map((p) => p.id), pack));
    const rows = await writeDirectory(db, SOURCE, 1, placedAs(society.map((p) => p.videoIds[0] ?? ''), pack), 'videos');
    const source = { id: SOURCE, kind: 'github' as const, name: 'society', repo: null, site: null, postCount: society.length, failureCount: 0, importedAt: 0, gen: 1 };
    const keysOfVideo = (video: string) => society.filter((p) => p.videoIds.includes(video)).map((p) => p.key).sort();
    const found = async (video: string) => (await postsOfVideos(db, 'videoIds', [video])).map((p) => p.key).sort();
    // Not yet the source's: its generation has no directory the source knows of.
    await db.sources.put(source);
    expect(await found(videos[0]!)).toEqual([]);
    await db.sources.put({ ...source, videoDirectory: { gen: 1, rows } });
    for (const video of videos.filter((_, i) => i % 23 === 0)) expect(await found(video), video).toEqual(keysOfVideo(video));
    // Several at once, in a transaction of the caller's (the sources given), each post once.
    const some = videos.slice(0, 40);
    const sources = await db.sources.toArray();
    const many = await db.transaction('r', db.posts, () => postsOfVideos(db, 'videoIds', some, sources));
    expect(many.map((p) => p.key).sort()).toEqual(society.filter((p) => p.videoIds.some((v) => some.includes(v))).map((p) => p.key).sort());
    expect(new Set(await archivedVideoIds(db))).toEqual(new Set(videos));
    // A post edited in its pack to archive another video: found by that one (its pack is indexed now), not by the one it left.
    const edited = society.find((p) => p.videoIds.length && keysOfVideo(p.videoIds[0]!).length === 1)!;
    await putPosts(db, [{ ...edited, videoIds: ['zz000000009'] }]);
    expect(await found('zz000000009')).toEqual([edited.key]);
    expect(await found(edited.videoIds[0]!)).toEqual([]);
    // Deleted: found no more, its pack or not.
    const other = society.find((p) => p.videoIds.length && p.key !== edited.key && keysOfVideo(p.videoIds[0]!).length === 1)!;
    await deletePosts(db, [other.key]);
    expect(await found(other.videoIds[0]!)).toEqual([]);
    // The source shows another generation: this one's directory is not read.
    await db.sources.put({ ...source, gen: 2, videoDirectory: { gen: 1, rows } });
    const rewritten = new Set([edited, other].map((p) => placed.get(p.key)));
    const third = society.find((p) => p.videoIds.length && !rewritten.has(placed.get(p.key)))!;
    expect(await found(third.videoIds[0]!)).toEqual([]);
  });

  it('finds the posts that mention a video, and only those', async () => {
    await appendPosts(db, society);
    const mentioning = society.find((p) => p.mentionIds.length)!;
    const video = mentioning.mentionIds[0]!;
    const found = await postsOfVideos(db, 'mentionIds', [video]);
    expect(found.map((p) => p.key)).toEqual(society.filter((p) => p.mentionIds.includes(video)).map((p) => p.key));
  });

  it('replaces an edited post where it is, deletes posts, and lets an emptied pack go', async () => {
    await appendPosts(db, society.slice(0, 10));
    const edited = { ...society[3]!, title: '改過的標題', videoIds: ['zz000000009'] };
    await putPosts(db, [edited, society[20]!]);
    expect(await getPost(db, edited.key)).toEqual(edited);
    expect(await countPosts(db, SOURCE, 1)).toBe(11);
    // The video it no longer names finds it no more; the new one does.
    expect((await postsOfVideos(db, 'videoIds', society[3]!.videoIds)).map((p) => p.key)).not.toContain(edited.key);
    expect((await postsOfVideos(db, 'videoIds', ['zz000000009'])).map((p) => p.key)).toEqual([edited.key]);
    await deletePosts(db, society.slice(0, 10).map((p) => p.key));
    expect(await countPosts(db, SOURCE, 1)).toBe(1);
    expect(await db.posts.count()).toBe(1);
  });

  it('answers a post read before from what was read, and never a stale one after a change', async () => {
    await appendPosts(db, society.slice(0, 40));
    const key = society[7]!.key;
    expect((await getPost(db, key))?.title).toBe(society[7]!.title);
    // Another page's connection changes it behind this one's back: the cache answers until told.
    const other = openArchive(db.name);
    const [pack] = await other.posts.where('keys').equals(key).toArray();
    await other.posts.put({ ...pack!, posts: pack!.posts.map((text, i) => (pack!.keys![i] === key ? JSON.stringify({ ...society[7]!, title: 'changed elsewhere' }) : text)) });
    other.close();
    expect((await getPost(db, key))?.title).toBe(society[7]!.title);
    forgetCachedPacks();
    expect((await getPost(db, key))?.title).toBe('changed elsewhere');
    // A write through this module is seen at once.
    await putPosts(db, [{ ...society[7]!, title: '再改一次' }]);
    expect((await getPost(db, key))?.title).toBe('再改一次');
    await deletePosts(db, [key]);
    expect(await getPost(db, key)).toBeUndefined();
  });

  it('lists the removed posts of a generation from their index, without reading posts', async () => {
    await appendPosts(db, society.slice(0, 100));
    const gone = [society[5]!, society[70]!].map((p) => markRemoved(p, 1_700_000_000_000, 'abc'));
    await putPosts(db, gone);
    expect(new Set(await removedKeys(db, SOURCE, 1))).toEqual(new Set(gone.map((p) => p.key)));
    expect(await countRemovedPosts(db, SOURCE, 1)).toBe(2);
    expect(await countRemovedPosts(db, SOURCE, 2)).toBe(0);
  });

  it('keeps a long post in a pack of its own size, not PACK_POSTS of them', async () => {
    const long = edgeCases().map((c) => parsePost(c.text, c.path)).flatMap((r) => (r.ok ? [toRecord(SOURCE, 1, r.post)] : []));
    await appendPosts(db, long);
    const largest = Math.max(...(await db.posts.toArray()).map((pack) => pack.posts.reduce((n, text) => n + text.length, 0) - pack.posts[pack.posts.length - 1]!.length));
    expect(largest).toBeLessThanOrEqual(32 * 1024);
    expect(await countStored(db)).toBe(long.length);
  });

  it('turns an archive of one record per post (version 8) into packs, removed marks and all', async () => {
    const name = `post-store-v8-${++counter}`;
    const v8 = new Dexie(name);
    for (const v of VERSIONS.filter((v) => v.version <= 8)) v8.version(v.version).stores(v.stores);
    await v8.open();
    const old = society.slice(0, 300).map((p, i) => (i % 100 === 7 ? markRemoved(p, 1_700_000_000_000, 'abc') : p));
    await v8.table('posts').bulkPut(old);
    v8.close();
    const upgraded = openArchive(name);
    try {
      expect(await countPosts(upgraded, SOURCE, 1)).toBe(300);
      expect(await upgraded.posts.count()).toBeLessThan(300 / 8);
      expect(await getPosts(upgraded, old.map((p) => p.key))).toEqual(old);
      expect(await countRemovedPosts(upgraded, SOURCE, 1)).toBe(3);
    } finally {
      await upgraded.delete();
    }
  });
});
