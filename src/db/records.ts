// The records the archive's tables hold, below every module that reads or
// writes them: the schema (db/schema.ts) declares the tables, db/files.ts
// and db/search-index.ts work on them, and neither needs the other to name
// a row.
import type { BucketData } from '../core/search-index';
import type { StoredPost } from '../core/twins';
import type { PackRunsRecord } from '../core/pack-runs';

/** A file that is not a post: where, and why. */
export interface FailureRecord {
  path: string;
  reason: string;
  message: string;
}

/** One file of a source: its git blob sha and the post it holds. */
export interface FileEntry {
  path: string;
  sha: string;
  /** The id of the post the file holds (its key is `${sourceId}|${gen}|${postId}`); null when it holds none. */
  postId: string | null;
  /** Why the file is not a post, when it is not. */
  failure?: FailureRecord;
}

/**
 * v7: files are kept in packs, a row per batch a sync saves (about 500
 * files), not a row per file: a row per file was half of the requests of a
 * large sync and most of its time in IndexedDB (db/files.ts).
 */
export interface FilePackRecord {
  /** `${sourceId}|${gen}|${path}` of its first file (paths sorted): a path is in one pack of a generation. */
  key: string;
  sourceId: string;
  gen: number;
  files: FileEntry[];
}

export interface SearchBucketRecord extends BucketData {
  /** `${sourceId}|${gen}|${build}|${bucket}` */
  key: string;
  sourceId: string;
  gen: number;
  build: number;
}

export interface SegmentInfo {
  buckets: number;
  own: string;
}

export interface SearchDocsRecord {
  /** `${sourceId}|${gen}|${build}` */
  key: string;
  sourceId: string;
  gen: number;
  build: number;
  buckets: number;
  /**
   * Post ids by ordinal, joined by `\n` (their keys are `${sourceId}|${gen}|${id}`;
   * empty for a post indexed again under a later ordinal): one string reads
   * much faster than 100,000.
   */
  ids: string;
  /** Post times by ordinal, for date filters and "newest first". */
  times: Float64Array;
  /**
   * The video each post archives, by ordinal: its 11 ASCII characters, or
   * zeros for none. The set of archived videos is read from here once per
   * change; a walk of the posts' video index took 21 s in Firefox at
   * 122,000 posts. Absent from indexes built before it (they are rebuilt).
   */
  videos?: Uint8Array;
  /** Which pack holds each post, by ordinal (core/pack-runs.ts). Absent from indexes built before: their posts are found through the `keys` index. */
  packRuns?: PackRunsRecord;
  grams: number;
  bytes: number;
  /**
   * The grams whose lists have rows of their own, joined by `\n`: the k-th
   * is in row `buckets + k` (core/search-index.ts, rowOf). Absent from
   * indexes built before: all their grams are in buckets.
   */
  own?: string;
  /**
   * The index's segments, in ordinal order, when it was written in more than
   * one (a large sync writes its lists as it goes): `buckets` and `own` as
   * above, for each. Segment 0's rows are keyed as before, segment s's
   * `${build}|${s}:${bucket}`. Absent: one segment, described by `buckets` and `own`.
   */
  segments?: SegmentInfo[];
  /** What the library shows of this generation, counted once here: posts by channel, by month (UTC), by tag. */
  facets?: Facets;
}

/** Which index of a source is current, and the posts changed since it was built. */
export interface SourceSearchIndex {
  gen: number;
  build: number;
  changed: string[];
  /** The index keeps its posts' videos (every index built now does; older ones are built again). */
  videos?: true;
  /** About what the generation takes in storage when the index was built (posts and index; IndexFigures). */
  storedBytes?: number;
  /** Segments the index was written in, when more than one (they are merged after the sync: db/search-merge.ts). */
  segments?: number;
}

/** What the library shows of a generation, counted once at index time. */
import type { Facets } from '../core/facets';
export type { Facets };

export interface PostRecord extends StoredPost {
  /** `${sourceId}|${gen}|${id}`: a post is kept once per source and generation. */
  key: string;
  sourceId: string;
  /**
   * The generation of the source this post belongs to. A full sync writes a
   * new generation next to the visible one and switches the source over in
   * one small transaction, so nothing is copied and a failed sync is simply
   * dropped. Only posts of their source's current generation are shown.
   */
  gen: number;
  /** Multi-entry index: the video(s) this post archives. */
  videoIds: string[];
  /** Multi-entry index: videos only mentioned in the body. */
  mentionIds: string[];
  /**
   * When a sync found the post gone from its source (every file of it
   * deleted or moved out of the synced folders): the reader's archive keeps
   * it, marked (see db/removed.ts). Absent for posts the source still has.
   */
  removedAt?: number;
  /** The source's commit before that sync: the last one known to hold the post's file. */
  removedIn?: string;
}

/**
 * A pack of posts of one source's generation: what the `posts` table holds
 * (db/post-store.ts), each post as its JSON text, with what the indexes need.
 */
export interface PostPackRecord {
  /** `${sourceId}|${gen}|~…`: after the generation's prefix, like a post's key. */
  key: string;
  sourceId: string;
  gen: number;
  /**
   * Multi-entry index: the key of each post, in the order of `posts`. A pack
   * a full sync wrote has `directoryKeys` instead: its generation's
   * directory says where its posts are (db/post-directory.ts), and the index
   * holds none of them. Read either through `keysOf`.
   */
  keys?: string[];
  directoryKeys?: string[];
  /** Multi-entry indexes: the videos its posts archive, and those they only mention. */
  videoIds: string[];
  mentionIds: string[];
  /** Multi-entry index: the keys of its posts marked removed (db/removed.ts). */
  removedKeys: string[];
  posts: string[];
}
