// The search index in IndexedDB: built once per generation of a source, when
// a full sync completes (before the switch, so a new generation is never
// visible without its index), read a few rows per query.
//
// Rows: `searchDocs` has one row per index (the post ids in ordinal order and
// their times); `searchBuckets` holds the posting lists, grams hashed into a
// few thousand rows so a build writes few large rows and a query reads a few
// small ones. An incremental sync does not rewrite the index: the posts it
// changes are listed on the source (`searchIndex.changed`), left out of the
// index's answers and checked directly, until there are enough of them to
// rebuild.
import { eachPost, generationPrefix } from './post-store';
import { NumberList, Places } from '../core/number-table';
import { JoinedList } from '../core/joined-list';
import { bytesToText, StringStore } from '../core/string-store';
import { hash32, hashBytes } from '../core/hash';
import { monthNumber } from '../core/dates';
import type { LaneSet } from '../core/lane-set';
import { packKeyOf, packNumber, PackRunsBuilder } from '../core/pack-runs';
import type { PlacedPosts } from './post-directory';
import { storedSize } from './indexed-post';
import { doubled } from '../core/typed-arrays';
import { joinOrStart } from '../core/single-flight';
import Dexie from 'dexie';
import { indexedFields, rowOf } from '../core/search-index';
import { EngineSession } from '../engine/session';
import { shareArchive } from '../engine/engine';
import type { IndexedFields, IndexItem, Replies, SavedColumns } from '../engine/protocol';
import { sourcesById } from './sources-cache';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import type { Facets, SearchBucketRecord, SearchDocsRecord, SegmentInfo, SourceSearchIndex } from './records';

export type { Facets, SearchBucketRecord, SearchDocsRecord, SourceSearchIndex } from './records';

/** Past this many changed posts, the next incremental sync rebuilds the index. */
export const REBUILD_AFTER = 2000;

const VIDEO_ID_LENGTH = 11;

export const docsKey = (sourceId: string, gen: number, build: number) => `${sourceId}|${gen}|${build}`;

let lastBuild = 0;
/**
 * A build number no index has had: its time, in ms. Generations start again
 * at 1 when a source is removed and added again, so a source, generation and
 * build of 0 or `previous + 1` could name an index this worker (or a row left
 * behind) had before, and a cache keyed by them would answer with it.
 */
export function newBuild(): number {
  lastBuild = Math.max(Date.now(), lastBuild + 1);
  return lastBuild;
}
import { bucketKey } from './bucket-key';
export { bucketKey };

/**
 * Posting lists held in memory before they are written out as a segment of
 * the index. Held to the end, they grew with the archive: 38 MiB of lists at
 * 122,000 posts, about three times that with long posts or four times as
 * many. A query reads a row of each segment for each gram (society ×32,
 * 489,000 posts, has 15). Segments of 32 MiB halved that and the first
 * search's p95 (71 → 52 ms in Chromium), but writing one out made the
 * worker's heap jump (used 70 → 173 MiB; the process peaked at 649 MiB at
 * 8× and 1,679 MiB at ×32 in CI, against 454 and 572 with 16 MiB).
 */
export const SEGMENT_BYTES = 16 << 20;
/**
 * The segment size where the engine runs in a worker of its own (Firefox's,
 * or Chrome's with more than two cores). A worker's collector lets its heap
 * grow to a multiple of what it keeps, and the segment being made is much
 * of that: about 26 MiB at 16 MiB of lists, with the tables of its grams
 * (society's grams, in Node), of 38–62 MiB live in Firefox's worker.
 * Firefox, builds alternated (scripts/probe/firefox-memory.ts, December 7,
 * 2026): society ×32 peaked at 450, 516 and
 * 490 MiB with 8 MiB segments against 564, 589 and 486 with 16 (its mean
 * over the sync 373, 423 and 393 against 446, 437 and 403; the last pair's
 * peak is the download's, in the first seconds, with 8 MiB, and the
 * reading's, with 16); ×8 at 400, 433 and 418 against 442, 473 and 479.
 * Twice the segments: society ×8 has 8, left unmerged (search-merge.ts
 * MERGE_FROM says why); ×32 has 31 to merge as it commits (8–11 s, against
 * 6 s for 13). In the background's own thread (Chrome's service worker on
 * two cores) 8 MiB did not lower the ×32 peak (473 against 468 MiB), so
 * there segments stay at SEGMENT_BYTES.
 */
export const WORKER_SEGMENT_BYTES = 8 << 20;
/** Drains a sync may have sent the engine beyond the one it is indexing (see saveSegment). */
const DRAINS_AHEAD = 1;
/** The segment sizes a sync's index uses, in this thread and in a worker (tests make them small to write many segments from society). */
export const indexLimits = { segmentBytes: SEGMENT_BYTES, workerSegmentBytes: WORKER_SEGMENT_BYTES };

/** Bytes of posting lists per write transaction (two at most are held: one being saved, one being made). */
const WRITE_BYTES = 1 << 20;

export interface IndexFigures {
  posts: number;
  grams: number;
  bytes: number;
  /** About what the generation takes in storage: its posts (estimated from their text) and this index. */
  storedBytes: number;
  /** Segments the lists were written in. */
  segments: number;
  ms: number;
}

/**
 * The index of one generation while it is made, post by post: from the posts
 * a full sync writes as it goes (no second read of the archive), or from the
 * stored posts. A post written again (a twin merged, a batch retried) gets a
 * new ordinal and its old one is left empty, so it is never answered twice.
 */
export class GenerationIndex {
  /** Builds the posting lists, in a worker while a sync runs (engine); a sync parses its posts in the same session. */
  readonly session: EngineSession;
  /** The lists' size as the engine last said (a batch behind at most); it decides when to cut a segment. */
  private engineBytes = 0;
  /** Posts sent to the engine and not yet indexed there; rejects with its failure. */
  private adding: Promise<unknown> = Promise.resolve();
  /** Each drain the engine has not answered yet, oldest first (settled: never rejects). */
  private unanswered: Promise<void>[] = [];
  /** The engine's first failure to index what was sent: thrown by saveSegment and write. */
  private failure: unknown = null;
  /** The build its rows are written as (segments are written while a sync runs). */
  readonly build: number;
  private readonly sourceId: string;
  private readonly gen: number;
  private readonly segmentBytes: number;
  private readonly segments: SegmentInfo[] = [];
  /** The segment being written, if any; it rejects with the write's failure. */
  private saving: Promise<void> = Promise.resolve();
  private gramLists = 0;
  private listBytes = 0;
  /** Each ordinal's post id ('' once the post was indexed again, at a later ordinal). */
  private readonly ids = new StringStore();
  // Per ordinal, in typed arrays (they hold no object per post for the collector to trace):
  // the time, and what the facets count, as numbers into a table of names.
  private readonly times = new NumberList(new Float64Array(1024));
  private readonly ordinals = new Places(
    (ordinal) => this.ids.at(ordinal)!,
    (ordinal, id) => this.ids.matches(ordinal, id),
    // Only live ids are in the table; an empty one (never a post's: ids are hashes) hashes as ''.
    (ordinal) => (this.ids.isEmpty(ordinal) ? hash32('') : this.ids.hashAt(ordinal)),
  );
  private readonly names = new Map<string, number>();
  private readonly channelOf = new NumberList(new Int32Array(1024));
  /** Where each ordinal's tags start in `tags`. */
  private readonly tagsAt = new NumberList(new Int32Array(1024));
  private readonly tags = new NumberList(new Int32Array(1024));
  private videos = new Uint8Array(1024 * VIDEO_ID_LENGTH);
  /** Each ordinal's pack, where the caller knows it (a search reads packs by key). */
  private readonly packs = new PackRunsBuilder();
  private readonly packPrefix: string;
  private lastPack: string | undefined;
  private lastPackNumber = NaN;
  /** Milliseconds spent adding posts and writing rows: what the index adds to a sync. */
  ms = 0;
  /** Each ordinal's estimated storage (a twin added again replaces its earlier size), and their sum. Whole bytes, below 2^31 (a post is at most a few MB). */
  private readonly sizes = new NumberList(new Int32Array(1024));
  private postBytes = 0;
  /** Of `ms`, writing the rows. */
  writeMs = 0;
  /** What the engine worked on this index (and on parsing the posts, for a sync that parses in its session). */
  engineMs = 0;

  /** Posts added whose grams the engine has not been asked for yet (see `drain`). */
  private queue: IndexItem[] = [];
  private nextOrdinal = 0;

  constructor(where: { sourceId: string; gen: number; build?: number; segmentBytes?: number; engine?: EngineSession }) {
    this.sourceId = where.sourceId;
    this.gen = where.gen;
    this.build = where.build ?? newBuild();
    this.session = where.engine ?? new EngineSession();
    this.segmentBytes = where.segmentBytes ?? (this.session.remote ? indexLimits.workerSegmentBytes : indexLimits.segmentBytes);
    this.packPrefix = generationPrefix(this.sourceId, this.gen);
  }

  /**
   * Adds a post: at once what `has`, `posts` and the facets need; its grams
   * when `drain` runs (a sync drains while the database saves the next
   * batch, when the worker would otherwise wait).
   */
  add(post: PostRecord, token?: number, pack?: string): void {
    const started = performance.now();
    this.addNow(post.id, storedSize(post), post.videoIds[0] ?? '', post.time, this.name(post.channel || post.author), [...new Set(post.tags)].map((tag) => this.name(tag)), pack);
    this.queue.push(token ?? indexedFields(post));
    this.ms += performance.now() - started;
  }

  /** Adds the posts the engine saved (db/held-batch.ts): it holds each one's fields by its token. */
  addSaved(saved: SavedColumns): void {
    const started = performance.now();
    // Ids are hex and video ids 11 letters of their own alphabet: neither holds a line break.
    const ids = saved.tokens.length ? saved.ids.split('\n') : [];
    const videos = saved.videos.split('\n');
    const names = saved.names.map((name) => this.name(name));
    ids.forEach((id, i) => {
      const tags = Array.from(saved.tags.subarray(saved.tagsAt[i], saved.tagsAt[i + 1]), (tag) => names[tag]!);
      this.addNow(id, saved.sizes[i]!, videos[i]!, saved.times[i]!, names[saved.channel[i]!]!, tags, saved.packs[saved.packOf[i]!]);
      this.queue.push(saved.tokens[i]!);
    });
    this.ms += performance.now() - started;
  }

  /** Sends the posts added so far to the engine, which puts their grams in the lists (in order). */
  drain(): void {
    if (this.queue.length === 0) return;
    const started = performance.now();
    const queue = this.queue;
    this.queue = [];
    const adding = this.session.add(queue).then((added) => {
      this.engineBytes = added.bytes;
      this.engineMs = added.busyMs;
    });
    // Its failure is thrown by the next saveSegment or write; never unhandled meanwhile.
    const answered: Promise<void> = adding.catch((error: unknown) => void (this.failure ??= error)).then(() => {
      this.unanswered.splice(this.unanswered.indexOf(answered), 1);
    });
    this.unanswered.push(answered);
    this.adding = Promise.all([this.adding, adding]);
    // Thrown by write(), which waits for it; an index let go first (its engine lost) never asks.
    this.adding.catch(() => {});
    this.ms += performance.now() - started;
  }

  /** Lets the engine go (its lists with it): the index was written, or will not be. */
  close(): void {
    this.session.close();
  }

  /** A post's channel (its author when it names none) and its distinct tags come as numbers of names (`name`). */
  private addNow(id: string, size: number, videoId: string, time: number, channel: number, tags: readonly number[], pack: string | undefined): void {
    const before = this.ordinals.get(id);
    this.postBytes += size - (before >= 0 ? this.sizes.at(before) : 0);
    this.sizes.push(size);
    // The builder numbers posts in the order they are drained, which is this order.
    const ordinal = this.nextOrdinal++;
    this.ids.push(id);
    this.ordinals.set(id, ordinal);
    // Blanked after the table moved on: it finds an id by reading it back.
    if (before >= 0) this.ids.clear(before);
    this.setVideo(ordinal, videoId);
    if (before >= 0) this.setVideo(before, '');
    this.times.push(time);
    // Posts come a pack's worth after another: its key is read once.
    if (pack !== this.lastPack) {
      this.lastPack = pack;
      this.lastPackNumber = pack === undefined ? NaN : packNumber(this.packPrefix, pack);
    }
    this.packs.push(this.lastPackNumber);
    this.channelOf.push(channel);
    this.tagsAt.push(this.tags.length);
    for (const tag of tags) this.tags.push(tag);
  }

  private setVideo(ordinal: number, videoId: string): void {
    const at = ordinal * VIDEO_ID_LENGTH;
    if (at + VIDEO_ID_LENGTH > this.videos.length) this.videos = doubled(this.videos, at + VIDEO_ID_LENGTH);
    // Video ids are 11 ASCII characters (core/youtube.ts checks every one read).
    const ok = videoId.length === VIDEO_ID_LENGTH;
    for (let k = 0; k < VIDEO_ID_LENGTH; k++) this.videos[at + k] = ok ? videoId.charCodeAt(k) : 0;
  }

  /** Whether a post of this id was added (the generation holds it). */
  has(postId: string): boolean {
    return this.ordinals.get(postId) >= 0;
  }

  /** The pack the post of this id was saved in, as the caller said when it added it (undefined: not said). */
  packOf(postId: string): string | undefined {
    const ordinal = this.ordinals.get(postId);
    const n = ordinal < 0 ? NaN : this.packs.at(ordinal);
    return Number.isNaN(n) ? undefined : packKeyOf(this.packPrefix, n);
  }

  /** Its posts by ordinal with their packs: what the generation's directory is written from (db/post-directory.ts). */
  placed(): PlacedPosts {
    return { length: this.ids.length, hash: (o) => this.ids.hashAt(o), ids: (places) => this.ids.joinAt(places, '\n'), pack: (o) => this.packs.at(o) };
  }

  /** The video each post archives and its pack, by place (none for a place without, or left empty): a video directory's entries. */
  placedVideos(): PlacedPosts {
    // Each video id is eleven ASCII characters (setVideo), or zeros.
    const videos = this.videos;
    return {
      length: this.ids.length,
      hash: (o) => (videos[o * VIDEO_ID_LENGTH] ? hashBytes(videos, o * VIDEO_ID_LENGTH, (o + 1) * VIDEO_ID_LENGTH) : -1),
      ids: (places) => {
        const out = new Uint8Array(Math.max(0, places.length * (VIDEO_ID_LENGTH + 1) - 1)).fill(10); // `\n` between
        // Copied a byte at a time: a view of each id to copy from was an object per video.
        places.forEach((o, i) => {
          for (let k = 0; k < VIDEO_ID_LENGTH; k++) out[i * (VIDEO_ID_LENGTH + 1) + k] = videos[o * VIDEO_ID_LENGTH + k]!;
        });
        return bytesToText(out);
      },
      pack: (o) => this.packs.at(o),
    };
  }

  private name(text: string): number {
    let n = this.names.get(text);
    if (n === undefined) this.names.set(text, (n = this.names.size));
    return n;
  }

  facets(): Facets {
    const table = [...this.names.keys()];
    const channels = new Map<number, number>();
    // By month number, with a time in it to name it by: no Date and string per post.
    const months = new Map<number, { count: number; time: number }>();
    const tags = new Map<number, number>();
    const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    for (let o = 0; o < this.ids.length; o++) {
      if (this.ids.isEmpty(o)) continue;
      bump(channels, this.channelOf.at(o));
      const time = this.times.at(o);
      if (Number.isFinite(time)) {
        const month = monthNumber(time);
        const seen = months.get(month);
        if (seen) seen.count++;
        else months.set(month, { count: 1, time });
      }
      const end = o + 1 < this.tagsAt.length ? this.tagsAt.at(o + 1) : this.tags.length;
      for (let t = this.tagsAt.at(o); t < end; t++) bump(tags, this.tags.at(t));
    }
    const named = (map: Map<number, number>) => [...map].map(([n, count]): [string, number] => [table[n]!, count]).filter(([name]) => name).sort((a, b) => b[1] - a[1]);
    const byName = [...months.values()].map(({ count, time }): [string, number] => [new Date(time).toISOString().slice(0, 7), count]);
    return { channels: named(channels), months: byName.sort((a, b) => (a[0] < b[0] ? 1 : -1)), tags: named(tags) };
  }

  get posts(): number {
    return this.ordinals.size;
  }

  /**
   * Once the lists built so far pass the segment size, starts writing them as
   * the next segment and goes on with an empty builder; waits first for the
   * segment being written, so at most one is held besides the one being built
   * (and throws its failure). Call it outside any transaction.
   */
  async saveSegment(db: ArchiveDb): Promise<void> {
    await this.saving;
    // The drain just sent is not waited for: the worker indexes it while this thread reads on.
    // Older ones are: a worker that falls behind (it parses too) would otherwise hold every
    // post sent meanwhile in its queue of messages, copied, and so would this process.
    while (this.unanswered.length > DRAINS_AHEAD) await this.unanswered[0];
    if (this.failure) throw this.failure;
    if (this.engineBytes < this.segmentBytes) return;
    this.engineBytes = 0;
    // Answered once the engine has indexed every post sent before.
    const cut = await this.session.cut();
    this.saving = this.writeSegment(db, cut);
    this.saving.catch(() => {}); // surfaced by the next call or by write(), never as unhandled meanwhile
  }

  /**
   * Has the engine write a segment it cut, a piece of about WRITE_BYTES of
   * lists at a time (one piece is saved while it makes the next), and lets it
   * go afterwards. The rows never come to this thread: in Firefox, a
   * segment's 16 MiB of lists moved here and cloned into the database were
   * garbage its background page kept for seconds.
   */
  private async writeSegment(db: ArchiveDb, cut: Replies['cut']): Promise<void> {
    const segment = this.segments.length;
    const { buckets } = cut;
    this.segments.push({ buckets, own: '' });
    this.gramLists += cut.grams;
    const target = { dbName: db.name, sourceId: this.sourceId, gen: this.gen, build: this.build, segment };
    // An engine in this thread writes through this connection, not one of its own.
    if (!this.session.remote) shareArchive(db);
    const own: string[] = [];
    for (let done = false; !done; ) {
      const stored = await this.session.store(cut.segment, WRITE_BYTES, target);
      done = stored.done;
      this.engineMs = stored.busyMs;
      own.push(...stored.own);
      this.listBytes += stored.bytes;
    }
    this.segments[segment] = { buckets, own: own.join('\n') };
  }

  /**
   * Writes the rest of this index (the last segment, the docs row: its list
   * of posts) as its build; the index is spent afterwards. The docs row is
   * returned, and not written when `keepDocs` says (given the number of
   * segments) that the caller merges the segments first: the merge writes
   * its own, and this one (18 MB at society ×32) would be replaced unread.
   */
  async write(db: ArchiveDb, keepDocs: (segments: number) => boolean = () => false): Promise<Omit<IndexFigures, 'ms'> & { docs: SearchDocsRecord }> {
    const started = performance.now();
    try {
      return await this.writeNow(db, keepDocs);
    } finally {
      this.session.close();
      this.writeMs = performance.now() - started;
      this.ms += this.writeMs;
    }
  }

  private async writeNow(db: ArchiveDb, keepDocs: (segments: number) => boolean): Promise<Omit<IndexFigures, 'ms'> & { docs: SearchDocsRecord }> {
    this.drain();
    await this.saving;
    await this.adding;
    // The last segment, however small (an index of no post still has one, of no row).
    await this.writeSegment(db, await this.session.cut());
    const ids = this.ids.join('\n');
    const facets = this.facets();
    const videos = this.videos.slice(0, this.ids.length * VIDEO_ID_LENGTH);
    const [first] = this.segments;
    const { sourceId, gen, build, gramLists: grams, listBytes: bytes } = this;
    const row: SearchDocsRecord = {
      key: docsKey(sourceId, gen, build),
      sourceId,
      gen,
      build,
      buckets: first!.buckets,
      own: first!.own,
      ...(this.segments.length > 1 ? { segments: this.segments } : {}),
      ids,
      times: this.times.toArray(),
      videos,
      packRuns: this.packs.toRecord(),
      grams,
      bytes,
      facets,
    };
    if (!keepDocs(this.segments.length)) {
      await db.searchDocs.put(row);
      rememberDocs(db, row);
    }
    return { posts: this.posts, grams, bytes, storedBytes: this.postBytes + bytes + ids.length * 2, segments: this.segments.length, docs: row };
  }
}

/** What the index reads of a post, sent to the engine for a post it did not parse (a merged twin, a stored post). */
/**
 * Builds the index of a source's generation from its stored posts, read in
 * key order a chunk at a time. Memory holds the posting lists (about two
 * bytes a post per gram) and never the posts. Call it holding the source's
 * lock; it writes rows of its own build only, which nothing reads until the
 * source points at them.
 */
export async function buildSearchIndex(db: ArchiveDb, sourceId: string, gen: number, build: number, check: () => void = () => {}, segmentBytes?: number): Promise<IndexFigures> {
  const started = performance.now();
  const index = new GenerationIndex({ sourceId, gen, build, ...(segmentBytes !== undefined ? { segmentBytes } : {}) });
  try {
    await eachPost(db, sourceId, gen, async (posts, packs) => {
      check();
      posts.forEach((post, i) => index.add(post, undefined, packs[i]));
      index.drain();
      await index.saveSegment(db);
    });
    const { docs: _docs, ...figures } = await index.write(db);
    return { ...figures, ms: performance.now() - started };
  } finally {
    index.close();
  }
}

/** What a source says of its index's segments: only that there are several (merged after the sync). */
export function manySegments(segments: number): { segments?: number } {
  return segments > 1 ? { segments } : {};
}

/** Whether a source's visible generation has an index to answer from. */
export function hasIndex(source: SourceRecord): source is SourceRecord & { searchIndex: SourceSearchIndex } {
  return source.searchIndex !== undefined && source.searchIndex.gen === (source.gen ?? 0);
}

/**
 * Builds the index of a source's visible generation when it has none (an
 * archive from before the index, the built-in sample) or when incremental
 * syncs changed too many posts since, then points the source at it and drops
 * the old one. Call it holding the source's lock.
 */
export async function ensureSearchIndex(db: ArchiveDb, sourceId: string): Promise<IndexFigures | null> {
  const source = await db.sources.get(sourceId);
  if (!source) return null;
  if (hasIndex(source) && source.searchIndex.changed.length <= REBUILD_AFTER && (await keepsVideos(db, source))) return null;
  const gen = source.gen ?? 0;
  const current = hasIndex(source) ? source.searchIndex.build : null;
  const build = newBuild();
  // What an interrupted build left must not mix with this one's rows.
  await dropIndexRows(db, sourceId, gen, current);
  const figures = await buildSearchIndex(db, sourceId, gen, build);
  const switched = await db.transaction('rw', db.sources, async () => {
    const now = await db.sources.get(sourceId);
    // A sync that switched generations meanwhile brought its own index.
    if (!now || (now.gen ?? 0) !== gen) return false;
    await db.sources.put({ ...now, searchIndex: { gen, build, changed: [], videos: true, storedBytes: figures.storedBytes, ...manySegments(figures.segments) } });
    return true;
  });
  await dropIndexRows(db, sourceId, gen, switched ? build : current);
  return figures;
}

/** The docs keys of the indexes sources point at now (loadDocs lets the others go). */
export function currentIndexes(sources: Iterable<SourceRecord>): Set<string> {
  return new Set([...sources].filter(hasIndex).map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
}

/** Whether a source's index keeps its posts' videos (those built before it did are built again). */
async function keepsVideos(db: ArchiveDb, source: SourceRecord & { searchIndex: SourceSearchIndex }): Promise<boolean> {
  // Said by the source itself: every start of the worker asks, and reading the index's
  // list of posts (122,000 ids at scale) to find out cost each start that much.
  if (source.searchIndex.videos) return true;
  // An index from before the source said so: its row, read once, and the answer kept.
  const row = await db.searchDocs.get(docsKey(source.id, source.searchIndex.gen, source.searchIndex.build));
  if (row?.videos === undefined) return false;
  await db.sources.update(source.id, { 'searchIndex.videos': true });
  return true;
}

/** Index rows deleted per request where the caller waits between (`between`). */
const DROP_ROWS = 64;

/**
 * Deletes a generation's index rows, but those of build `keep`. With
 * `between`, a few rows at a time with it awaited before each (a merged
 * index's old rows, hundreds of MiB at scale, kept the database busy for
 * seconds as one request).
 *
 * The rows are found by ranges of their keys around the kept build's, never
 * by listing the generation's keys: before each merge, that listing (100,000
 * keys of the index being merged, at ×32) found nothing to delete and held
 * a query of the popup's 300–450 ms.
 */
export async function dropIndexRows(db: ArchiveDb, sourceId: string, gen: number, keep: number | null, between?: () => void | Promise<void>): Promise<void> {
  for (const table of [db.searchBuckets, db.searchDocs] as const) {
    const rows = table as unknown as ArchiveDb['searchDocs'];
    for (const [lower, upper, withLower, withUpper] of otherBuilds(sourceId, gen, keep)) {
      const range = () => rows.where(':id').between(lower, upper, withLower, withUpper);
      if (!between) {
        await range().delete();
        continue;
      }
      for (;;) {
        const keys = await range().limit(DROP_ROWS).primaryKeys();
        if (keys.length === 0) break;
        await between();
        await rows.bulkDelete(keys);
      }
    }
  }
}

/** Deletes the rows of one build of a generation's index (a merge that did not finish). */
export async function dropBuildRows(db: ArchiveDb, sourceId: string, gen: number, build: number): Promise<void> {
  const key = docsKey(sourceId, gen, build);
  for (const table of [db.searchBuckets, db.searchDocs] as const) {
    const rows = table as unknown as ArchiveDb['searchDocs'];
    await rows.delete(key);
    // `}` follows `|`: every `<key>|…` key sorts before `<key>}`.
    await rows.where(':id').between(`${key}|`, `${key}}`, true, false).delete();
  }
}

/**
 * The key ranges of a generation's index rows outside build `keep`. A build's
 * rows are keyed `<docs key>` and `<docs key>|…` under the generation's
 * prefix; another build's key may sort between those two (`…|12` after
 * `…|1`, before `…|1|`), hence three ranges.
 */
function otherBuilds(sourceId: string, gen: number, keep: number | null): [string, string, boolean, boolean][] {
  const prefix = `${sourceId}|${gen}|`;
  const end = `${prefix}\uffff`;
  if (keep === null) return [[prefix, end, true, true]];
  const kept = docsKey(sourceId, gen, keep);
  // `}` follows `|`: every `<kept>|…` key sorts before `<kept>}`.
  return [[prefix, kept, true, false], [kept, `${kept}|`, false, false], [`${kept}}`, end, true, true]];
}

// Rows of an index never change once its source points at it (a rebuild
// writes a new build number), so what was read is kept for the next query.
/** An index's docs row as queries use it: the ids split. */
export interface LoadedDocs extends SearchDocsRecord {
  idList: JoinedList;
  /**
   * 1 at the ordinals left empty (a post indexed again later), or null when
   * none are: a query tests this, not the id, of each of up to 100,000 posts
   * (reading 100,000 strings scattered in memory was half of a common
   * character's search).
   */
  gaps: Uint8Array | null;
  /** Each segment's row count, and its grams with rows of their own, and which (`own`, read once). */
  segmentRows: { buckets: number; ownRows: JoinedList | null }[];
}

const docsCache = new Map<string, LoadedDocs>();
const bucketCache = new Map<string, SearchBucketRecord | null>();
/** Rows kept after a query (about 512 short lists each, or one long list: tens of KB at 122,000 posts); a gram has a row in each segment. */
const BUCKETS_CACHED = 256;

/** Loads of docs rows under way, so a query and the warm-up that asks at once read the row once (megabytes at scale). */
const docsLoading = new Map<string, Promise<LoadedDocs | null>>();
// Cached by database too: tests and the bench open several in one process.
const docsCacheKey = (db: ArchiveDb, key: string) => `${db.name.replaceAll('|', '/')}|${key}`;

/** The docs row of an index, kept after the first read; rows of indexes no longer current are let go. */
export async function loadDocs(db: ArchiveDb, sourceId: string, index: SourceSearchIndex, current: ReadonlySet<string>): Promise<LoadedDocs | null> {
  for (const key of docsCache.keys()) if (!current.has(key.slice(key.indexOf('|') + 1))) docsCache.delete(key);
  const key = docsKey(sourceId, index.gen, index.build);
  const cacheKey = docsCacheKey(db, key);
  const docs = docsCache.get(cacheKey);
  if (docs) return docs;
  return joinOrStart(docsLoading, cacheKey, async () => {
    const row = await db.searchDocs.get(key);
    if (!row) return null;
    const read = loadedDocs(row);
    docsCache.set(cacheKey, read);
    return read;
  });
}

/** Lets every index's docs go (tests: a lookup or search as after the service worker started again). */
export function forgetLoadedDocs(): void {
  docsCache.clear();
}

/** The docs of a source's current index if they are in memory (read by a search, or kept by a sync), else null: nothing is read. */
export function docsInMemory(db: ArchiveDb, source: SourceRecord): LoadedDocs | null {
  if (!hasIndex(source)) return null;
  const { gen, build } = source.searchIndex;
  return docsCache.get(docsCacheKey(db, docsKey(source.id, gen, build))) ?? null;
}

/** A docs row as queries use it; `like`: a loaded row of the same posts (a merge keeps them), whose split ids serve again. */
function loadedDocs(row: SearchDocsRecord, like?: LoadedDocs): LoadedDocs {
  const idList = like?.idList ?? new JoinedList(row.ids ?? '');
  const segments = row.segments ?? [{ buckets: row.buckets, own: row.own ?? '' }];
  const segmentRows = segments.map(({ buckets, own }) => ({ buckets, ownRows: own ? new JoinedList(own) : null }));
  return { ...row, idList, gaps: like ? like.gaps : gapsOf(idList), segmentRows };
}

/**
 * Keeps a docs row just written as loadDocs would read it. The first query
 * after a large sync read back what the sync had just written from memory:
 * at 490,000 posts, megabytes of ids, times and videos, while the user waits.
 */
export function rememberDocs(db: ArchiveDb, row: SearchDocsRecord, like?: LoadedDocs): void {
  docsCache.set(docsCacheKey(db, row.key), loadedDocs(row, like));
}

/** An index's docs row: the one kept in memory when there is one, else read. */
export async function docsRow(db: ArchiveDb, key: string): Promise<{ row: SearchDocsRecord; loaded?: LoadedDocs } | null> {
  const loaded = docsCache.get(docsCacheKey(db, key));
  if (loaded) {
    const { idList: _i, gaps: _g, segmentRows: _s, ...row } = loaded;
    return { row, loaded };
  }
  const row = await db.searchDocs.get(key);
  return row ? { row } : null;
}

function gapsOf(idList: JoinedList): Uint8Array | null {
  let gaps: Uint8Array | null = null;
  for (let i = 0; i < idList.length; i++) {
    if (!idList.empty(i)) continue;
    gaps ??= new Uint8Array(idList.length);
    gaps[i] = 1;
  }
  return gaps;
}

const hiddenCache = new WeakMap<LoadedDocs, { changed: readonly string[]; hidden: Uint8Array | null }>();

/**
 * 1 at the ordinals a query leaves out: the gaps, and the posts changed since
 * the index was built (`changed`, keys; read as they are now by the caller).
 * Made once for each list of changes (a source's record keeps its list until
 * it changes): every source has some after an incremental sync, and looking
 * each of a common character's 480,000 posts up among them cost a string
 * each, every query.
 */
export function hiddenOrdinals(docs: LoadedDocs, changed: readonly string[]): Uint8Array | null {
  if (changed.length === 0) return docs.gaps;
  const cached = hiddenCache.get(docs);
  if (cached?.changed === changed) return cached.hidden;
  const prefix = `${docs.sourceId}|${docs.gen}|`;
  const ids = new Set(changed.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)));
  let hidden = docs.gaps;
  if (ids.size) {
    hidden = docs.gaps ? docs.gaps.slice() : new Uint8Array(docs.idList.length);
    for (let ordinal = 0; ordinal < docs.idList.length; ordinal++) {
      if (!docs.idList.empty(ordinal) && ids.has(docs.idList.at(ordinal)!)) hidden[ordinal] = 1;
    }
  }
  hiddenCache.set(docs, { changed, hidden });
  return hidden;
}

/**
 * Adds the videos an index's posts archive to `ids`, but those of the posts
 * changed since it was built (`changed`, keys; read as they are now by the
 * caller), from the index's bytes: no string per video. False for an index
 * built before it kept them.
 */
export function addIndexedVideos(docs: LoadedDocs, changed: readonly string[], ids: LaneSet): boolean {
  const bytes = docs.videos;
  if (!bytes) return false;
  const hidden = hiddenOrdinals(docs, changed);
  for (let ordinal = 0; ordinal < docs.idList.length; ordinal++) {
    const at = ordinal * VIDEO_ID_LENGTH;
    if (bytes[at] === 0 || (hidden !== null && hidden[ordinal] === 1)) continue;
    ids.addBytes(bytes, at, at + VIDEO_ID_LENGTH);
  }
  return true;
}

/**
 * Reads each source's list of indexed posts ahead of the first query (when a
 * page that searches opens, and after a sync), so that query only reads the
 * few rows of its grams.
 */
export async function warmSearch(db: ArchiveDb): Promise<void> {
  const sources = [...(await sourcesById(db)).values()].filter(hasIndex);
  const current = new Set(sources.map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
  // All at once: one after another, three sources' rows took 254, 86 and 213 ms as a worker started at ×32.
  await Promise.all(sources.map((source) => loadDocs(db, source.id, source.searchIndex, current)));
}

/** The rows holding these grams, one for each segment (null where it has none), one read for all that are not cached. */
export async function loadBuckets(db: ArchiveDb, docs: LoadedDocs, grams: readonly string[]): Promise<Map<string, (SearchBucketRecord | null)[]>> {
  const scope = `${db.name}\n`;
  const byGram = new Map<string, string[]>(
    grams.map((g) => [g, docs.segmentRows.map(({ buckets, ownRows }, segment) => scope + bucketKey(docs.sourceId, docs.gen, docs.build, segment, rowOf(g, buckets, ownRows)))]),
  );
  const missing = [...new Set([...byGram.values()].flat().filter((k) => !bucketCache.has(k)))];
  if (missing.length) {
    const rows = await db.searchBuckets.bulkGet(missing.map((k) => k.slice(scope.length)));
    missing.forEach((k, i) => bucketCache.set(k, rows[i] ?? null));
  }
  const out = new Map<string, (SearchBucketRecord | null)[]>();
  for (const [gram, keys] of byGram) {
    out.set(
      gram,
      keys.map((key) => {
        const row = bucketCache.get(key) ?? null;
        // Least recently used goes first: re-inserting moves a key to the end.
        bucketCache.delete(key);
        bucketCache.set(key, row);
        return row;
      }),
    );
  }
  while (bucketCache.size > BUCKETS_CACHED) bucketCache.delete(bucketCache.keys().next().value!);
  return out;
}
