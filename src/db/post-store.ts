// Where posts are kept: in packs of up to PACK_POSTS posts of one source's
// generation, one IndexedDB record each, never one record per post.
//
// Why: every record a browser writes costs a request of its own (the value
// cloned, its index keys extracted, a message to the database process and
// an event back). Writing society twice (30,542 posts) in transactions of
// 500 took 6.3 s in Chromium as one record each (45 MiB of disk), 1.6 s as
// packs of 16 with the indexes below (22 MiB). A large sync spent two
// thirds of its time waiting for those requests (see issue 19's note).
//
// Each post is kept in its pack as its own JSON text: a pack is then an
// array of strings, which the browser clones by copying, and a reader parses
// only the posts it wants (a lookup needs one post of a pack, not 16).
// The pack lists what the indexes need: its posts' keys (`*keys`: a post by
// key), videos (`*videoIds`), mentioned videos (`*mentionIds`) and the keys
// of its posts marked removed (`*removedKeys`, db/removed.ts). A pack a full
// sync wrote keeps its keys out of `*keys` (`directoryKeys`) and its videos
// out of `*videoIds`: the sync's own index says where each post is while it
// runs, and the generation's directories, of posts and of videos, once it is
// visible (db/post-directory.ts says why).
//
// Every function here runs inside the caller's transaction when there is
// one, and awaits nothing but database requests (Dexie's transaction zone).
import Dexie from 'dexie';
import type { ArchiveDb, PostPackRecord, PostRecord, SourceRecord } from './schema';
import { decode, encode, generationPrefix, keysOf, newPacks, packOf } from './post-packs';
import { putNative } from './native-put';
import { packsInDirectory, packsOfVideos, videosInDirectory, type VideoDirectory } from './post-directory';
import { sourcesById } from './sources-cache';
import { TextMap } from '../core/text-keys';

export { generationPrefix, keysOf, PACK_POSTS } from './post-packs';

/** Packs read at a time when a whole generation is walked. */
const WALK_PACKS = 16;

/**
 * The packs holding any of these index keys, each once. One request per key,
 * all sent at once: an `anyOf` walks one cursor, a round trip to the
 * database per key (a search's 50 posts took 60 ms so in Chromium).
 */
async function packsWith(db: ArchiveDb, index: 'keys' | 'videoIds' | 'mentionIds', values: Iterable<string>): Promise<PostPackRecord[]> {
  const wanted = [...values];
  const read = () => Promise.all(wanted.map((value) => db.posts.where(index).equals(value).toArray()));
  // Outside a transaction, one for all: Dexie otherwise opens one per request
  // (a search's 30 posts, 30 transactions: most of its time reading them).
  const found = wanted.length > 1 && !Dexie.currentTransaction ? await db.transaction('r', db.posts, read) : await read();
  const packs = new Map<string, PostPackRecord>();
  for (const list of found) for (const pack of list) packs.set(pack.key, pack);
  return [...packs.values()];
}

// Packs read lately, kept for the next reads: a search reads a pack for each
// post it ranks, and the popup's next keystroke or the same query again reads
// mostly the same ones. Any write through this module, a generation dropped,
// or a change another page made (the background hears of it) empties it.
const CACHED_PACKS = 512;
interface PackCache {
  epoch: number;
  packs: Map<string, PostPackRecord>;
  /** Per post key, the cached pack holding it. */
  packOfPost: Map<string, string>;
}
/** Per open database (a test may open one of the same name again after deleting it). */
const caches = new WeakMap<ArchiveDb, PackCache>();
let epoch = 0;

/** Forgets every pack read, of every database (the archive changed). */
export function forgetCachedPacks(): void {
  epoch++;
}

function cacheOf(db: ArchiveDb): PackCache {
  let cache = caches.get(db);
  if (!cache || cache.epoch !== epoch) caches.set(db, (cache = { epoch, packs: new Map(), packOfPost: new Map() }));
  return cache;
}

function cachePack(cache: PackCache, pack: PostPackRecord): void {
  cache.packs.delete(pack.key);
  cache.packs.set(pack.key, pack);
  for (const post of keysOf(pack)) cache.packOfPost.set(post, pack.key);
  while (cache.packs.size > CACHED_PACKS) {
    const [oldest, old] = cache.packs.entries().next().value!;
    cache.packs.delete(oldest);
    for (const post of keysOf(old)) if (cache.packOfPost.get(post) === oldest) cache.packOfPost.delete(post);
  }
}

/**
 * The stored packs holding any of these posts, each once. `hints` may say,
 * for a key at the same place, which pack should hold it (a search index
 * knows: core/pack-runs.ts; a running sync's index too): those packs are read
 * by their own keys. The other posts, and any not in the pack a hint named,
 * are looked for in the `keys` index and in their generation's directory.
 *
 * In a transaction, its scope must be an async function that awaits this
 * (as the one it opens itself does): Dexie follows native awaits through the
 * zone of a scope it saw await them, and a scope that only returned the
 * promise lost it a few reads in (PrematureCommitError).
 */
async function packsHolding(db: ArchiveDb, keys: readonly string[], hints?: readonly (string | undefined)[]): Promise<PostPackRecord[]> {
  // One transaction for all the reads (Dexie otherwise opens one per request).
  if (!Dexie.currentTransaction) return db.transaction('r', db.posts, async () => await packsHolding(db, keys, hints));
  const hinted = new Map<string, string>();
  const unhinted: string[] = [];
  keys.forEach((key, k) => {
    const hint = hints?.[k];
    if (hint) hinted.set(key, hint);
    else unhinted.push(key);
  });
  const packs = new Map<string, PostPackRecord>();
  const add = (list: readonly (PostPackRecord | undefined)[]) => {
    for (const pack of list) if (pack) packs.set(pack.key, pack);
  };
  let rest = unhinted;
  if (hinted.size) {
    add(await db.posts.bulkGet([...new Set(hinted.values())]));
    // A post its pack no longer holds (deleted since, or a stale hint).
    const held = new Set([...packs.values()].flatMap(keysOf));
    rest = [...unhinted, ...[...hinted.keys()].filter((key) => !held.has(key))];
  }
  if (rest.length === 0) return [...packs.values()];
  add(await packsWith(db, 'keys', rest));
  const placed = await packsInDirectory(db, rest);
  const more = [...new Set(placed.values())].filter((key) => !packs.has(key));
  if (more.length) add(await db.posts.bulkGet(more));
  return [...packs.values()];
}

/**
 * The stored posts of these keys, in their order (undefined where none is).
 * `packs` may say, for a key at the same place, which pack should hold it
 * (see packsHolding). `keep` false: the packs read are not cached for the
 * next reads (a pass over many posts, which would push out a reader's).
 */
export async function getPosts(db: ArchiveDb, keys: readonly string[], packs?: readonly (string | undefined)[], keep = true): Promise<(PostRecord | undefined)[]> {
  if (keys.length === 0) return [];
  const wanted = new Set(keys);
  const found = new Map<string, PostRecord>();
  const take = (pack: PostPackRecord) =>
    keysOf(pack).forEach((key, i) => {
      if (wanted.has(key)) found.set(key, decode(pack, i));
    });
  const cache = cacheOf(db);
  const missing: string[] = [];
  const hints: (string | undefined)[] = [];
  const asked = new Set<string>();
  keys.forEach((key, k) => {
    if (found.has(key) || asked.has(key)) return;
    const pack = cache.packs.get(cache.packOfPost.get(key) ?? '');
    if (pack) return take(pack);
    asked.add(key);
    missing.push(key);
    hints.push(packs?.[k]);
  });
  const read = missing.length === 0 ? [] : await packsHolding(db, missing, hints);
  // Not kept when the archive changed while they were read.
  const fresh = keep && cache.epoch === epoch;
  for (const pack of read) {
    if (fresh) cachePack(cache, pack);
    take(pack);
  }
  return keys.map((key) => found.get(key));
}

export async function getPost(db: ArchiveDb, key: string): Promise<PostRecord | undefined> {
  return (await getPosts(db, [key]))[0];
}

/** The video directories of the sources' visible generations (SourceRecord.videoDirectory). */
function videoDirectories(sources: Iterable<SourceRecord>): VideoDirectory[] {
  const found: VideoDirectory[] = [];
  for (const source of sources) {
    const directory = source.videoDirectory;
    if (directory && directory.gen === (source.gen ?? 0)) found.push({ sourceId: source.id, gen: directory.gen, rows: directory.rows });
  }
  return found;
}

/**
 * Where a generation's index in memory says a video's posts are (see
 * db/indexed-videos.ts): pack keys, or null to read its video directory.
 */
export type KnownPacks = (directory: VideoDirectory, videoIds: readonly string[]) => string[] | null;

/**
 * The packs holding posts that archive any of these videos: from the index
 * (packs no video directory lists: an incremental sync's, an import's, one
 * written again) and from the video directories of the visible generations
 * (a full sync's), each pack once. A directory whose packs `known` names is
 * not read: those packs are read beside the index, in one round trip, where
 * a directory's row must be read before the packs it names.
 */
async function packsOfVideoIds(db: ArchiveDb, wanted: ReadonlySet<string>, directories: readonly VideoDirectory[], known?: KnownPacks): Promise<PostPackRecord[]> {
  if (directories.length === 0) return packsWith(db, 'videoIds', wanted);
  const ids = [...wanted];
  const named = new Set<string>();
  const unread: VideoDirectory[] = [];
  for (const directory of directories) {
    const packs = known?.(directory, ids) ?? null;
    if (packs) for (const key of packs) named.add(key);
    else unread.push(directory);
  }
  const read = async () => {
    const [indexed, listed, direct] = await Promise.all([
      packsWith(db, 'videoIds', wanted),
      unread.length ? packsOfVideos(db, unread, ids) : [],
      named.size ? db.posts.bulkGet([...named]) : [],
    ]);
    const packs = new Map(indexed.map((pack) => [pack.key, pack]));
    // A pack named may be gone since (its posts deleted).
    for (const pack of direct) if (pack?.posts !== undefined && !packs.has(pack.key)) packs.set(pack.key, pack);
    const missing = listed.filter((key) => !packs.has(key));
    if (missing.length) for (const pack of await db.posts.bulkGet(missing)) if (pack?.posts !== undefined) packs.set(pack.key, pack);
    return [...packs.values()];
  };
  return Dexie.currentTransaction ? read() : db.transaction('r', db.posts, read);
}

/**
 * The posts that archive (`videoIds`) or mention (`mentionIds`) any of these
 * videos: the visible generations' and, through the index, any other's.
 * `sources`: the sources as the caller read them (sourcesById), which it must
 * give when it calls from a transaction without the sources table.
 */
export async function postsOfVideos(db: ArchiveDb, field: 'videoIds' | 'mentionIds', videoIds: readonly string[], sources?: Iterable<SourceRecord>, known?: KnownPacks): Promise<PostRecord[]> {
  if (videoIds.length === 0) return [];
  const wanted = new Set(videoIds);
  const out: PostRecord[] = [];
  const packs = field === 'videoIds'
    ? await packsOfVideoIds(db, wanted, videoDirectories(sources ?? (await sourcesById(db)).values()), known)
    : await packsWith(db, field, wanted);
  for (const pack of packs) {
    for (let i = 0; i < pack.posts.length; i++) {
      // Only the posts of the video are parsed: a pack's text says whether it names it.
      const text = pack.posts[i]!;
      if (![...wanted].some((id) => text.includes(id))) continue;
      const post = decode(pack, i);
      if (post[field].some((id) => wanted.has(id))) out.push(post);
    }
  }
  return out;
}

/**
 * How many posts a generation holds: a walk of its packs (no index has every
 * post's key: db/post-directory.ts). For tests and tools; the archive keeps
 * its counts.
 */
export async function countPosts(db: ArchiveDb, sourceId: string, gen: number): Promise<number> {
  const prefix = generationPrefix(sourceId, gen);
  let count = 0;
  await db.posts.where(':id').between(prefix, `${prefix}\uffff`).each((pack) => (count += keysOf(pack).length));
  return count;
}

/** Visits a generation's posts, a few packs at a time, in the order they were written; `packs` has each one's pack key. */
export async function eachPost(db: ArchiveDb, sourceId: string, gen: number, visit: (posts: PostRecord[], packs: string[]) => void | Promise<void>): Promise<void> {
  const prefix = generationPrefix(sourceId, gen);
  let lower = prefix;
  let inclusive = true;
  for (;;) {
    const packs = await db.posts.where(':id').between(lower, `${prefix}\uffff`, inclusive, true).limit(WALK_PACKS).toArray();
    if (packs.length === 0) return;
    await visit(packs.flatMap((pack) => pack.posts.map((_, i) => decode(pack, i))), packs.flatMap((pack) => pack.posts.map(() => pack.key)));
    lower = packs[packs.length - 1]!.key;
    inclusive = false;
  }
}

/** The keys of a generation's posts marked removed (db/removed.ts), from their index: no post is read. */
export async function removedKeys(db: ArchiveDb, sourceId: string, gen: number): Promise<string[]> {
  const prefix = generationPrefix(sourceId, gen);
  return (await db.posts.where('removedKeys').between(prefix, `${prefix}\uffff`).keys()) as string[];
}

export function countRemovedPosts(db: ArchiveDb, sourceId: string, gen: number): Promise<number> {
  const prefix = generationPrefix(sourceId, gen);
  return db.posts.where('removedKeys').between(prefix, `${prefix}\uffff`).count();
}

/**
 * Every video an archived post names: the keys of the index (every source
 * and generation) and the video directories of the visible generations.
 */
export async function archivedVideoIds(db: ArchiveDb): Promise<string[]> {
  const ids = new Set((await db.posts.orderBy('videoIds').uniqueKeys()) as string[]);
  for (const directory of videoDirectories((await sourcesById(db)).values())) for (const id of await videosInDirectory(db, directory)) ids.add(id);
  return [...ids];
}

/**
 * Saves posts: each replaces the stored post of its key in that post's pack;
 * the others go into new packs, in the order given. Posts of several
 * sources or generations may be mixed. Returns how many were not stored
 * before (counting a generation's posts is a walk of its index: callers
 * keep counts up to date instead). `placed` gets each post's pack key;
 * `where` may say which pack holds a post (see packsHolding). `listed`: the
 * video directory the generation gets when its full sync commits will list
 * these posts where they are, so a pack of that sync's written again keeps
 * its videos out of the index too (twins merged: a twin has its post's video).
 */
export async function putPosts(db: ArchiveDb, posts: readonly PostRecord[], placed?: Placed, where?: { get(key: string): string | undefined }, listed = false): Promise<number> {
  if (posts.length === 0) return 0;
  forgetCachedPacks();
  const byKey = new TextMap(posts.map((p) => [p.key, p]));
  const keys = [...byKey.keys()];
  const stored = await packsHolding(db, keys, where && keys.map((key) => where.get(key)));
  const rewritten: PostPackRecord[] = [];
  for (const pack of stored) {
    const held = keysOf(pack);
    // Posts left as they were keep their text: only the new ones are encoded.
    const texts = held.map((key, i) => (byKey.has(key) ? encode(byKey.get(key)!) : pack.posts[i]!));
    const kept = held.map((key, i) => byKey.get(key) ?? decode(pack, i));
    for (const key of held) byKey.delete(key);
    // A pack stays where its posts are found from: the index, or its generation's directory.
    const directory = pack.directoryKeys !== undefined;
    rewritten.push(packOf(pack.key, kept, texts, directory, !(directory && listed)));
  }
  await putPacks(db, [...rewritten, ...newPacks([...byKey.values()])], placed);
  return byKey.size;
}

/** Where a write says which pack each post went to, by key (a Map, or a TextMap in a sync: core/text-keys.ts). */
export type Placed = { set(key: string, pack: string): unknown };

/**
 * Puts packs (`placed` gets each post's pack key) through the transaction's
 * own store (native-put.ts): the browser clones each value as it is put, and
 * Dexie's bulkPut would hold every pack, all the posts' text, until the
 * database answered. A sync's batches outlived several minor collections so,
 * and their text was promoted to the old generation (society ×8: 165 MiB of
 * the service worker's 740 MiB promoted), growing the heap between full
 * collections.
 */
function putPacks(db: ArchiveDb, packs: PostPackRecord[], placed: Placed | undefined): PromiseLike<unknown> {
  if (placed) placeIn(placed, packs);
  return putNative(db.posts, packs);
}

function placeIn(placed: Placed, packs: readonly PostPackRecord[]): void {
  for (const pack of packs) for (const key of keysOf(pack)) placed.set(key, pack.key);
}

/**
 * Saves posts no pack holds yet (a sync's new posts), in new packs, without
 * looking for them first; `placed` gets each one's pack key. `directory`:
 * their generation's directory will say where they are (a full sync writes
 * it before the generation is visible: db/post-directory.ts), so the `keys`
 * index holds none of them.
 */
export async function appendPosts(db: ArchiveDb, posts: readonly PostRecord[], placed?: Placed, directory = false): Promise<void> {
  forgetCachedPacks();
  if (posts.length === 0) return;
  await putPacks(db, newPacks(posts, directory), placed);
}

/** Deletes the posts of these keys; a pack left empty goes. Returns how many were stored. */
export async function deletePosts(db: ArchiveDb, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  forgetCachedPacks();
  let deleted = 0;
  const gone = new Set(keys);
  const put: PostPackRecord[] = [];
  const emptied: string[] = [];
  for (const pack of await packsHolding(db, [...gone])) {
    const kept: PostRecord[] = [];
    const texts: string[] = [];
    keysOf(pack).forEach((key, i) => {
      if (gone.has(key)) {
        deleted++;
        return;
      }
      kept.push(decode(pack, i));
      texts.push(pack.posts[i]!);
    });
    if (kept.length) put.push(packOf(pack.key, kept, texts, pack.directoryKeys !== undefined));
    else emptied.push(pack.key);
  }
  await db.posts.bulkPut(put);
  await db.posts.bulkDelete(emptied);
  return deleted;
}
