// Which pack holds each post of a generation a full sync wrote: a directory
// in rows, written once when the sync commits, instead of an entry per post
// in the posts' `keys` index.
//
// Why: every post a sync writes put its key in that index, sixteen entries
// a pack, which the database sorts in, writes and compacts again after the
// sync. At society ×8 in Chromium, five runs of each build alternated
// (scripts/probe/sync-memory.ts): the database's threads spent 22–26 s of
// CPU with the directory against 27–32 s with the index entries, and the
// sync took 40.5 s on average against 42.7 (the cores stay busy with the rest).
// A search needs none of it (its index says which pack holds a post:
// core/pack-runs.ts); what looks a post up by key alone (an incremental
// sync, the panel's posts by key, removed posts) reads a directory row.
//
// The rows sit in the posts table, beside the packs, under keys no walk of
// the generation's packs reads (`${sourceId}|${gen}#…`, before the
// generation's prefix `${sourceId}|${gen}|`), and with `sourceId` and `gen`,
// so a generation dropped drops them with it. A post's row is chosen by a
// hash of its id: the rows are written at once, whatever the order the posts
// came in, and a lookup reads one.
//
// A generation's videos have a directory of the same kind (`#v…` rows), by
// video id, in place of the packs' entries in `*videoIds`, which cost the
// database as much again as the keys did (scripts/probe/idb-writes.ts:
// ≈ 4 s of Chromium's CPU at society ×8). Its row count is kept on the source
// (SourceRecord.videoDirectory), set as the generation becomes visible, so a
// lookup reads a row, with no head, for each source; a pack written again
// later lists its videos in the index, as packs other than a full sync's do.
// Measured at society ×8, builds alternated: the browser's database threads
// spent 17–20 s of CPU against 24–28 s in Chromium, and Firefox synced in
// 26.1 s against 29.5 s; a lookup reads the row and then the pack, one round
// trip more than the index's (Chromium p50 4.1 ms against 2.8; Firefox 4.0
// against 2.0; p95 10.8 against 8.7 and 7.0 against 15.0: noise rules there).
//
// The directory is never rewritten: a post later moved out of its pack
// (deleted; written again, into a pack of the `keys` index) is simply not
// found where the directory says, and is looked for in the index.
import type { Table } from 'dexie';
import { hash32 } from '../core/hash';
import { packKeyOf } from '../core/pack-runs';
import type { ArchiveDb } from './schema';

/** Posts a row holds, about: one row read is a few kilobytes. */
export const ROW_POSTS = 256;
/** Rows written a request at a time, and read a request at a time by a walk. */
const WRITE_ROWS = 64;
const READ_ROWS = 64;

/** A row of a directory (its head says how many rows there are). */
export interface DirectoryRecord {
  /** `${sourceId}|${gen}#` for the head, `${sourceId}|${gen}#${row}` for a row. */
  key: string;
  sourceId: string;
  gen: number;
  /** How many rows the directory has (the head says it; each row too, so a head remembered from a directory since dropped is caught). */
  rows: number;
  /** A row: its posts' ids, joined by `\n`, and the number of each one's pack. */
  ids?: string;
  packs?: Float64Array;
}

/**
 * The posts a directory is written from, by place: each one's id as its
 * hash32 (-1 for none), the ids of some places joined by `\n`, and each one's pack
 * number (NaN: not in a sealed pack). No string is made per post: ×32's
 * directories list 489,000 posts and as many videos, all at the commit.
 */
export interface PlacedPosts {
  readonly length: number;
  hash(place: number): number;
  ids(places: Int32Array): string;
  pack(place: number): number;
}

/**
 * What a directory is of: the generation's posts, by post id, or the videos
 * they archive, by video id (a video may be archived by several posts, each
 * listed). A video directory's rows go under `#v`, beside the posts' `#`.
 */
export type DirectoryKind = 'posts' | 'videos';

const headKey = (sourceId: string, gen: number, kind: DirectoryKind = 'posts') => `${sourceId}|${gen}#${kind === 'videos' ? 'v' : ''}`;
const rowKey = (sourceId: string, gen: number, row: number, kind: DirectoryKind = 'posts') => `${headKey(sourceId, gen, kind)}${row}`;
/** A directory's row of an id, from the id's hash32 (the writer has hashes, not ids). */
const rowOfHash = (hash: number, rows: number) => hash % rows;
const rowOf = (id: string, rows: number) => rowOfHash(hash32(id), rows);

const table = (db: ArchiveDb) => db.posts as unknown as Table<DirectoryRecord, string>;

/**
 * Writes a generation's directory: call it when every post is written, before
 * the generation becomes visible, outside any transaction (it keeps one
 * request in flight while it makes the next). A posts directory's head
 * goes last, so it is used only whole; a video directory is used once its
 * source records it. Returns how many rows it has.
 */
export async function writeDirectory(db: ArchiveDb, sourceId: string, gen: number, placed: PlacedPosts, kind: DirectoryKind = 'posts'): Promise<number> {
  const rows = Math.max(1, Math.ceil(placed.length / ROW_POSTS));
  // A counting sort of the places by row: two typed arrays, no object per post.
  const rowAt = new Int32Array(placed.length).fill(-1);
  const starts = new Int32Array(rows + 1);
  for (let p = 0; p < placed.length; p++) {
    const hash = placed.hash(p);
    if (hash < 0 || Number.isNaN(placed.pack(p))) continue;
    rowAt[p] = rowOfHash(hash, rows);
    starts[rowAt[p]! + 1]!++;
  }
  for (let r = 0; r < rows; r++) starts[r + 1]! += starts[r]!;
  const order = new Int32Array(starts[rows]!);
  const next = starts.slice(0, rows);
  for (let p = 0; p < placed.length; p++) if (rowAt[p]! >= 0) order[next[rowAt[p]!]!++] = p;
  let write: DirectoryRecord[] = [];
  // One request is saved while the next rows are made.
  let saving: Promise<unknown> = Promise.resolve();
  for (let r = 0; r < rows; r++) {
    const members = order.subarray(starts[r]!, starts[r + 1]!);
    if (members.length) {
      write.push({
        key: rowKey(sourceId, gen, r, kind),
        sourceId,
        gen,
        rows,
        ids: placed.ids(members),
        packs: packsOf(placed, members),
      });
    }
    if (write.length >= WRITE_ROWS || (r === rows - 1 && write.length)) {
      await saving;
      saving = table(db).bulkPut(write);
      write = [];
    }
  }
  await saving;
  // A video directory has no head: its source records its rows as the generation becomes visible.
  if (kind === 'posts') await table(db).put({ key: headKey(sourceId, gen), sourceId, gen, rows });
  return rows;
}

/** Each member's pack number, by index (Float64Array.from walks its source with an iterator: an object per post). */
function packsOf(placed: PlacedPosts, members: Int32Array): Float64Array {
  const packs = new Float64Array(members.length);
  for (let k = 0; k < members.length; k++) packs[k] = placed.pack(members[k]!);
  return packs;
}

// Heads read, by database and generation, so a lookup reads only rows. A
// generation's number comes back when a source removed is added again; each
// row says how many rows its directory has, and a row that disagrees with
// the head remembered (or is missing) has the head read again.
const heads = new WeakMap<ArchiveDb, Map<string, number>>();

/** A post key's source, generation and id (source ids never hold `|`: core/source-id.ts). */
function partsOf(key: string): { sourceId: string; gen: number; id: string } | null {
  const a = key.indexOf('|');
  const b = a < 0 ? -1 : key.indexOf('|', a + 1);
  if (b < 0) return null;
  const gen = Number(key.slice(a + 1, b));
  return Number.isInteger(gen) ? { sourceId: key.slice(0, a), gen, id: key.slice(b + 1) } : null;
}

/**
 * The pack each of these posts is in, as the directories of their
 * generations say (a post key to a pack key); posts of a generation without
 * a directory, or not in it, are not in the answer. One read for each
 * generation's head the first time, then one per row.
 */
export async function packsInDirectory(db: ArchiveDb, keys: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const byGeneration = new Map<string, { sourceId: string; gen: number; ids: Map<string, string> }>();
  for (const key of keys) {
    const parts = partsOf(key);
    if (!parts) continue;
    const head = headKey(parts.sourceId, parts.gen);
    let group = byGeneration.get(head);
    if (!group) byGeneration.set(head, (group = { sourceId: parts.sourceId, gen: parts.gen, ids: new Map() }));
    group.ids.set(parts.id, key);
  }
  let known = heads.get(db);
  if (!known) heads.set(db, (known = new Map()));
  // A few reads, each for every generation at once (see packsHolding on awaits in a transaction).
  const unknown = [...byGeneration.keys()].filter((head) => !known.has(head));
  if (unknown.length) {
    const read = await table(db).bulkGet(unknown);
    read.forEach((head, i) => {
      if (head?.rows !== undefined) known.set(unknown[i]!, head.rows);
    });
  }
  const fresh = new Set(unknown);
  const wanted: string[] = [];
  const headOf: string[] = [];
  for (const [head, { sourceId, gen, ids }] of byGeneration) {
    const rows = known.get(head);
    if (rows === undefined) continue;
    for (const row of new Set([...ids.keys()].map((id) => rowOf(id, rows)))) {
      wanted.push(rowKey(sourceId, gen, row));
      headOf.push(head);
    }
  }
  if (wanted.length === 0) return found;
  const stale = new Set<string>();
  (await table(db).bulkGet(wanted)).forEach((row, i) => {
    const head = headOf[i]!;
    if (row?.rows !== known.get(head) || !row?.ids || !row.packs) {
      if (!fresh.has(head)) stale.add(head);
      return;
    }
    const group = byGeneration.get(head)!;
    const prefix = `${row.sourceId}|${row.gen}|`;
    row.ids.split('\n').forEach((id, k) => {
      const key = group.ids.get(id);
      if (key !== undefined) found.set(key, packKeyOf(prefix, row.packs![k]!));
    });
  });
  if (stale.size) {
    for (const head of stale) known.delete(head);
    const again = [...stale].flatMap((head) => [...byGeneration.get(head)!.ids.values()]).filter((key) => !found.has(key));
    for (const [key, pack] of await packsInDirectory(db, again)) found.set(key, pack);
  }
  return found;
}

/** A generation's directory of videos, as its source records it (SourceRecord.videoDirectory). */
export interface VideoDirectory {
  sourceId: string;
  gen: number;
  rows: number;
}

/**
 * The keys of the packs that hold posts of these videos, as the generations'
 * video directories say: one request, a row per video and directory. A pack
 * may no longer hold the post (changed or deleted since): the caller reads
 * each post's own videos.
 */
export async function packsOfVideos(db: ArchiveDb, directories: readonly VideoDirectory[], videoIds: readonly string[]): Promise<string[]> {
  const wanted = new Set(videoIds);
  const keys: string[] = [];
  const rowsOf: VideoDirectory[] = [];
  for (const directory of directories) {
    for (const row of new Set([...wanted].map((id) => rowOf(id, directory.rows)))) {
      keys.push(rowKey(directory.sourceId, directory.gen, row, 'videos'));
      rowsOf.push(directory);
    }
  }
  if (keys.length === 0) return [];
  const packs = new Set<string>();
  (await table(db).bulkGet(keys)).forEach((row, i) => {
    // A row of another directory under the same key (a generation's number come back) is not read.
    if (!row?.ids || !row.packs || row.rows !== rowsOf[i]!.rows) return;
    const prefix = `${row.sourceId}|${row.gen}|`;
    row.ids.split('\n').forEach((id, k) => {
      if (wanted.has(id)) packs.add(packKeyOf(prefix, row.packs![k]!));
    });
  });
  return [...packs];
}

/** Every video a generation's video directory lists (the walk behind the membership set when no index answers). */
export async function videosInDirectory(db: ArchiveDb, directory: VideoDirectory): Promise<string[]> {
  const videos: string[] = [];
  for (let r = 0; r < directory.rows; r += READ_ROWS) {
    const keys = Array.from({ length: Math.min(READ_ROWS, directory.rows - r) }, (_, k) => rowKey(directory.sourceId, directory.gen, r + k, 'videos'));
    for (const row of await table(db).bulkGet(keys)) if (row?.ids && row.rows === directory.rows) videos.push(...row.ids.split('\n'));
  }
  return videos;
}
