// What a sync asks of its engine: the CPU-bound half of a full sync, run on a
// second thread so the background only reads the download and keeps the
// sync's account. The engine unpacks the download, parses the posts of a
// batch of files, and builds the search index's posting lists from the posts
// the sync has saved; in a worker it also writes what a full sync makes in
// bulk (its posts, files and index rows), so none of it crosses the port.
//
// A post the engine parsed is named by its token thereafter: `write` saves
// it and `add` indexes it without its text crossing. A full sync's post
// crosses only when the background merges it with a stored twin (`take`), and
// a post parsed for an incremental sync comes parsed (`parse` without `hold`).
import type { ReadFile } from '../core/read-entry';
import type { Post, PostError } from '../core/post';
import type { FailureRecord, FileEntry } from '../db/records';
import type { IndexedPost } from '../db/indexed-post';
import type { IndexedFields } from '../core/search-index';
import type { TarEntry } from '../core/tar';

/** A file as the tarball holds it; `data` null when it was too large to read. */
export interface RawFile {
  path: string;
  data: Uint8Array | null;
  size: number;
  sha?: string;
}

/** A post the engine unpacked and holds (`unpack`), its path and bytes there: parsed by its number. */
export interface HeldRef {
  held: number;
  size: number;
  sha?: string;
}

/** A file to parse: its bytes, or the number the engine holds them by. */
export type ParseFile = RawFile | HeldRef;

/**
 * An entry of a download the engine unpacks: a post it holds, path and bytes
 * (`held`), or a file that comes whole: a post too large to read (no bytes),
 * the site's configuration (its bytes). Nothing else comes: the engine skips
 * directories, other files and posts the sync saved before, and hashes the
 * trees itself (the last step's `trees`). Each post's path, mostly Chinese
 * (two bytes a character), crossed to the background and back before
 * December 2026: 489,000 of them at society ×32, garbage in Firefox's
 * background page.
 */
export type UnpackedEntry = ({ type: 'held' } & HeldRef) | (TarEntry & { sha?: string });

/** The download's next piece for the engine to unpack (the first of a `stream` starts it; `stop` lets it go). */
export interface UnpackStep {
  stream: number;
  chunk?: Uint8Array;
  end?: boolean;
  stop?: boolean;
  /** Whether the trees are hashed (until the listing gives them); once off, it stays off. */
  hashing: boolean;
  folders: string[];
  maxEntryBytes: number;
  maxBytes: number;
  /** With a stream's first step: the posts the sync saved before (a retry skips them). */
  skip?: string[];
  /** The listing's shas of the files, when they change (sha-table.ts): a file's sha is its listed one. */
  shas?: { keys: Float64Array; shas: Uint8Array };
}

export type { IndexedFields };

/** A saved post, in the order the index numbers them: a token from `parse`, or its fields. */
export type IndexItem = number | IndexedFields;

/**
 * A file of a batch the engine parsed and holds (`parse` with `hold`), in the
 * order it was sent: its post stays there, under `token`, until `write`
 * saves the batch or `take` sends it here. Only the post's id crosses: a
 * batch's text, cloned into the background, was most of what Firefox's
 * background page left for its collector during a large sync, and its paths
 * (mostly Chinese, two bytes a character) and file entries much of the rest.
 */
export interface HeldFile {
  result: { ok: true; id: string; token: number } | { ok: false; error: PostError };
}

/** A batch the engine parsed and holds: its files in order, and the number it names the batch by. */
export interface HeldBatch {
  files: readonly HeldFile[];
  batch: number;
}

/** Where the engine saves held posts: the archive's database, and the full sync's source and generation. */
export interface WriteTarget {
  dbName: string;
  sourceId: string;
  gen: number;
}

/** Where the engine writes a segment's rows (`store`): the index's build, and the segment's number in it. */
export interface RowsTarget extends WriteTarget {
  build: number;
  segment: number;
}

/** A post `write` saved: what the index needs, the token its fields are held by, and its pack. */
export interface SavedPost extends IndexedPost {
  token: number;
  pack: string;
}

/**
 * The posts `write` saved (SavedPost), column by column: a few arrays a
 * batch, where an object, two arrays and a string or more each made 500
 * objects a batch that Firefox's background page kept until a full
 * collection (they outlive the message that brings them).
 */
export interface SavedColumns {
  /** Post ids, joined by `\n`. */
  ids: string;
  /** Each post's first video id, '' for none, joined by `\n`. */
  videos: string;
  times: Float64Array;
  sizes: Float64Array;
  tokens: Int32Array;
  /** The batch's packs' keys, and each post's, as a place there. */
  packs: string[];
  packOf: Int32Array;
  /** The batch's channels, authors and tags, each once; a post's channel (its author when it names none) and tags as places there. */
  names: string[];
  channel: Int32Array;
  /** Where each post's tags start in `tags` (one more than the posts: the last is where they end). */
  tagsAt: Int32Array;
  tags: Int32Array;
}

/** Every request names its session: one index being built (several syncs may run at once). */
export type Request =
  | { op: 'parse'; session: number; files: ParseFile[]; timeZone?: string; keep: boolean; hold?: boolean }
  /**
   * Saves a held batch (its posts, twins merged as the background would, in
   * new packs of the target's generation, and its files) in one transaction.
   * Answered once the requests are sent; `saved` says when they are stored.
   * `lastPack`: the background's last pack number (db/post-packs.ts packNumbers).
   * `leave`: the places in the batch of files this write leaves for `take`
   * (twins of posts saved before, which the background merges with them).
   */
  | { op: 'write'; session: number; target: WriteTarget; batch: number; lastPack: number; leave?: number[] }
  /** Waits for the last `write` to be stored. Answered out of turn (link.ts): requests after it go on meanwhile. */
  | { op: 'saved'; session: number }
  /** Sends a held batch here, or what `write` left of it (the background saves it itself); the engine keeps its posts' fields for `add`. */
  | { op: 'take'; session: number; batch: number }
  | ({ op: 'unpack'; session: number } & UnpackStep)
  | { op: 'add'; session: number; items: IndexItem[] }
  | { op: 'cut'; session: number }
  /**
   * Writes the segment's next rows, about `maxBytes` of lists, to the
   * database: they never cross to the background. Answered out of turn, once the
   * piece before is stored: the next piece is made while this one is saved.
   */
  | { op: 'store'; session: number; segment: number; maxBytes: number; target: RowsTarget }
  | { op: 'close'; session: number };

export interface Replies {
  /** HeldFiles with `hold`, and the number `write` or `take` names the batch by. */
  parse: { files: ReadFile[] | HeldFile[]; batch?: number };
  /** The posts saved, and the batch's files (distinct paths) with those that failed to parse, for the sync's tally. */
  write: { posts: SavedColumns; lastPack: number; files: number; failures: FailureRecord[] };
  saved: Record<string, never>;
  /** The ok posts of the files taken, and each of those files' entry, in order. */
  take: { posts: Post[]; files: FileEntry[] };
  /**
   * The entries read since the last step; `wantsInput`: the next step brings
   * the download's next chunk; `done`: the last entries, and the trees' shas
   * by path when they were hashed to the end.
   */
  unpack: { entries: UnpackedEntry[]; wantsInput: boolean; done: boolean; trees?: Record<string, string> };
  /** The posting lists' size so far, which decides when a segment is cut; the engine's time on the session so far. */
  add: { bytes: number; busyMs: number };
  /** The lists so far, set aside as a segment to write (`store`); the next post starts the next segment. */
  cut: { segment: number; buckets: number; grams: number };
  /** The segment's next rows, about `maxBytes` of lists; `done` with the last. */
  /** The grams of the piece's own rows (those past the segment's buckets), its lists' bytes; `done` once the last piece is stored. */
  store: { own: string[]; bytes: number; done: boolean; busyMs: number };
  close: Record<string, never>;
}

export type Reply<R extends Request> = Replies[R['op']];

/** Requests a worker answers without making the ones after them wait for the database (link.ts serve). */
export const OUT_OF_TURN: ReadonlySet<Request['op']> = new Set(['saved', 'store']);

export interface Envelope {
  id: number;
  request: Request;
}

/** A failure's `name` crosses too: a full disk is told by it (db/quota.ts). */
export type Answer = { id: number; ok: true; reply: Replies[keyof Replies] } | { id: number; ok: false; error: string; name?: string };

/** The first message on a new port to the engine (from the offscreen document to the background). */
export const ENGINE_PORT = 'archivelens-engine-port';
