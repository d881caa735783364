// The sync engine itself (protocol.ts): the same in its worker (worker.ts),
// inline in the background when no worker can be had, and in Node's tests.
// What it writes (a held batch's posts and files, a segment's rows) goes
// through its own connection to the archive, or the background's when it
// runs in the background's thread (shareArchive).
import Dexie from 'dexie';
import { readEntry, type ReadFile } from '../core/read-entry';
import { IndexBuilder, indexedFields, type BucketData } from '../core/search-index';
import type { Post } from '../core/post';
import { TextMap } from '../core/text-keys';
import { ShaTable } from '../core/sha-table';
import type { FileEntry, SearchBucketRecord } from '../db/records';
import { fileEntry } from '../db/file-packs';
import { openArchive, type ArchiveDb } from '../db/schema';
import { bucketKey } from '../db/bucket-key';
import type { HeldFile, IndexedFields, Replies, Request, UnpackStep } from './protocol';
import { Unpacker } from './unpacker';
import { savedColumns, savePosts } from './saving';
import { packNumbers } from '../db/post-packs';

interface HeldFiles {
  files: FileEntry[];
  tokens: number[];
}

interface Spent {
  builder: IndexBuilder;
  buckets: number;
  rows?: Generator<BucketData>;
}

class Session {
  builder = new IndexBuilder();
  /** Fields of parsed posts, by token, until the sync saves them (or the session ends). */
  readonly parsed = new Map<number, IndexedFields>();
  /** Posts parsed with `hold`, by token, until `write` saves them or `take` sends them. */
  readonly posts = new Map<number, Post>();
  /** Batches parsed with `hold`: each file's entry and its post's token (-1 for a file that failed to parse), in order. */
  readonly batches = new Map<number, HeldFiles>();
  nextBatch = 0;
  /** The archive, opened by the first `write` or `store`; and the last write's being stored. */
  db: ArchiveDb | null = null;
  stored: Promise<void> = Promise.resolve();
  /** The piece of a segment's rows being stored (`store`). */
  storing: Promise<void> = Promise.resolve();
  readonly spent = new Map<number, Spent>();
  nextToken = 0;
  nextSegment = 0;
  /** Milliseconds the engine worked for this session: the share of a sync its worker took off the background. */
  busyMs = 0;
  /** The download being unpacked, and the posts' bytes it kept until they are parsed. */
  unpacker: Unpacker | null = null;
  readonly held = new Map<number, { path: string; bytes: Uint8Array }>();
  nextHeld = 0;
}

export interface Handled<R> {
  reply: R;
  /** Buffers to move to the asker rather than copy. */
  transfer: ArrayBuffer[];
}

export class Engine {
  private readonly sessions = new Map<number, Session>();

  /** Answers at once but for `unpack`, which waits for the download's reading (the answers to one asker stay in order: link.ts). */
  handle<R extends Request>(request: R): Handled<Replies[R['op']]> | Promise<Handled<Replies[R['op']]>> {
    const started = performance.now();
    if (request.op === 'saved') return this.session(request.session).stored.then(() => ({ reply: {}, transfer: [] })) as Promise<Handled<Replies[R['op']]>>;
    if (request.op === 'store') return this.store(this.session(request.session), request, started) as Promise<Handled<Replies[R['op']]>>;
    if (request.op === 'unpack') return this.unpack(this.session(request.session), request) as Promise<Handled<Replies[R['op']]>>;
    try {
      return this.run(request, started) as Handled<Replies[R['op']]>;
    } finally {
      const session = this.sessions.get(request.session);
      if (session) session.busyMs += performance.now() - started;
    }
  }

  private async unpack(session: Session, step: UnpackStep): Promise<Handled<Replies['unpack']>> {
    if (session.unpacker?.stream !== step.stream || step.stop) {
      // Another download (a retry) or none: what the last one held goes.
      session.unpacker = null;
      session.held.clear();
    }
    if (step.stop) return { reply: { entries: [], wantsInput: false, done: true }, transfer: [] };
    session.unpacker ??= new Unpacker(step.stream, {
      folders: step.folders,
      maxEntryBytes: step.maxEntryBytes,
      maxBytes: step.maxBytes,
      skip: step.skip ?? [],
      hashing: step.hashing,
      hold: (path, bytes) => {
        const held = session.nextHeld++;
        session.held.set(held, { path, bytes });
        return held;
      },
    });
    const unpacker = session.unpacker;
    const listed = step.shas && ShaTable.sorted(step.shas.keys, step.shas.shas);
    const unpacked = await unpacker.next(step.chunk, step.end ?? false, step.hashing, listed);
    if (unpacked.done && session.unpacker === unpacker) session.unpacker = null;
    // The site's configuration is the one file that comes with its bytes, a copy of its own.
    const transfer = unpacked.entries.flatMap((entry) => ('data' in entry && entry.data ? [entry.data.buffer as ArrayBuffer] : []));
    return { reply: unpacked, transfer };
  }

  /** Makes the segment's next rows and writes them once the piece before is stored (protocol.ts `store`). */
  private async store(session: Session, request: Extract<Request, { op: 'store' }>, started: number): Promise<Handled<Replies['store']>> {
    // Rows from the segment's bucket count on are its grams' own.
    const buckets = session.spent.get(request.segment)?.buckets ?? 0;
    const { rows, done } = nextRows(session, request.segment, request.maxBytes);
    const { sourceId, gen, build, segment, dbName } = request.target;
    const own: string[] = [];
    let bytes = 0;
    const records = rows.map((row): SearchBucketRecord => {
      if (row.bucket >= buckets) own.push(row.grams);
      bytes += row.data.length;
      return { ...row, key: bucketKey(sourceId, gen, build, segment, row.bucket), sourceId, gen, build };
    });
    session.busyMs += performance.now() - started;
    const db = archiveOf(session, dbName);
    const before = session.storing;
    // Outside any transaction (an engine in the background's thread may be asked from inside one): these rows are the index's own.
    const storing = before.then(() => (records.length ? Dexie.ignoreTransaction(() => db.searchBuckets.bulkPut(records)) : undefined));
    session.storing = storing.then(() => {});
    session.storing.catch(() => {}); // thrown to the piece after, or below
    await before;
    if (done) await storing;
    return { reply: { own, bytes, done, busyMs: session.busyMs }, transfer: [] };
  }

  private session(id: number): Session {
    let session = this.sessions.get(id);
    if (!session) this.sessions.set(id, (session = new Session()));
    return session;
  }

  private run(request: Exclude<Request, { op: 'unpack' | 'saved' | 'store' }>, started: number): Handled<Replies[keyof Replies]> {
    if (request.op === 'close') {
      this.sessions.get(request.session)?.db?.close();
      this.sessions.delete(request.session);
      return { reply: {}, transfer: [] };
    }
    const session = this.session(request.session);
    switch (request.op) {
      case 'parse': {
        const entries: FileEntry[] = [];
        const tokens: number[] = [];
        const files = request.files.map((file) => {
          let { path, data } = 'held' in file ? { path: '', data: null } : file;
          if ('held' in file) {
            const held = session.held.get(file.held);
            if (!held) throw new Error(`No unpacked file is held as ${file.held}`);
            session.held.delete(file.held);
            ({ path, bytes: data } = held);
          }
          const read = readEntry(path, data, file.size, file.sha, request.timeZone);
          if (request.hold) entries.push(fileEntry(read));
          if (!read.result.ok) {
            if (!request.hold) return read;
            tokens.push(-1);
            return { result: read.result } satisfies HeldFile;
          }
          const post = read.result.post;
          // Nothing reads a post's HTML once it is parsed (db/import.ts stores it blank): not sent back.
          post.bodyHtml = '';
          if (!request.keep) return read;
          const token = session.nextToken++;
          if (request.hold) {
            session.posts.set(token, post);
            tokens.push(token);
            return { result: { ok: true, id: post.id, token } } satisfies HeldFile;
          }
          session.parsed.set(token, indexedFields(post));
          return { ...read, token };
        });
        if (!request.hold) return { reply: { files: files as ReadFile[] }, transfer: [] };
        const batch = session.nextBatch++;
        session.batches.set(batch, { files: entries, tokens });
        return { reply: { files: files as HeldFile[], batch }, transfer: [] };
      }
      case 'write': {
        packNumbers.after(request.lastPack);
        const whole = heldBatch(session, request.batch);
        const leave = new Set(request.leave ?? []);
        const [batch, left] = split(whole, (k) => !leave.has(k));
        if (left.files.length) session.batches.set(request.batch, left);
        const posts = batch.tokens.flatMap((token) => (token < 0 ? [] : [{ post: held(session, token), token }]));
        const db = archiveOf(session, request.target.dbName);
        // A path read twice (a hand-made tar may hold one twice) counts as its last copy.
        const files = [...new TextMap(batch.files.map((file) => [file.path, file])).values()];
        const { saved, stored } = savePosts(db, request.target, posts, files);
        // The posts' text goes; what `add` indexes stays.
        for (const { post, token } of posts) {
          session.posts.delete(token);
          session.parsed.set(token, indexedFields(post));
        }
        session.stored = stored;
        stored.catch(() => {}); // answered by `saved`
        const failures = files.flatMap((file) => (file.failure ? [file.failure] : []));
        const columns = savedColumns(saved);
        const { times, sizes, tokens, packOf, channel, tagsAt, tags } = columns;
        const transfer = [times, sizes, tokens, packOf, channel, tagsAt, tags].map((column) => column.buffer as ArrayBuffer);
        return { reply: { posts: columns, lastPack: packNumbers.last(), files: files.length, failures }, transfer };
      }
      case 'take': {
        const batch = heldBatch(session, request.batch);
        const tokens = batch.tokens.filter((token) => token >= 0);
        const posts = tokens.map((token) => held(session, token));
        tokens.forEach((token, i) => {
          session.posts.delete(token);
          session.parsed.set(token, indexedFields(posts[i]!));
        });
        return { reply: { posts, files: batch.files }, transfer: [] };
      }
      case 'add': {
        for (const item of request.items) {
          let fields = item;
          if (typeof item === 'number') {
            fields = session.parsed.get(item)!;
            if (!fields) throw new Error(`No parsed post has token ${item}`);
            session.parsed.delete(item);
          }
          session.builder.add(fields as IndexedFields);
        }
        return { reply: { bytes: session.builder.bytes, busyMs: session.busyMs + performance.now() - started }, transfer: [] };
      }
      case 'cut': {
        const builder = session.builder;
        session.builder = new IndexBuilder(builder.next);
        const segment = session.nextSegment++;
        const buckets = builder.bucketCount();
        session.spent.set(segment, { builder, buckets });
        return { reply: { segment, buckets, grams: builder.grams }, transfer: [] };
      }
    }
  }
}

/** A held batch's files split in two, in order: those at places `keep` says, and the rest. */
function split(batch: HeldFiles, keep: (place: number) => boolean): [HeldFiles, HeldFiles] {
  const kept: HeldFiles = { files: [], tokens: [] };
  const rest: HeldFiles = { files: [], tokens: [] };
  batch.files.forEach((file, k) => {
    const to = keep(k) ? kept : rest;
    to.files.push(file);
    to.tokens.push(batch.tokens[k]!);
  });
  return [kept, rest];
}

/** A held batch, let go: `write` and `take` each take it once (what `write` leaves is held again, for `take`). */
function heldBatch(session: Session, batch: number): HeldFiles {
  const found = session.batches.get(batch);
  if (!found) throw new Error(`No parsed batch is held as ${batch}`);
  session.batches.delete(batch);
  return found;
}

function held(session: Session, token: number): Post {
  const post = session.posts.get(token);
  if (!post) throw new Error(`No parsed post is held as ${token}`);
  return post;
}

/** The archive as this thread has it open already (an engine in the background's thread: engine/link.ts inlineLink). */
const shared = new Map<string, ArchiveDb>();

/**
 * Tells an engine in this thread of the archive it is opened as here, so it
 * writes through the same connection rather than a second one of its own.
 */
export function shareArchive(db: ArchiveDb): void {
  shared.set(db.name, db);
}

function archiveOf(session: Session, dbName: string): ArchiveDb {
  const here = shared.get(dbName);
  if (here && !here.hasBeenClosed()) return here;
  return (session.db ??= openArchive(dbName));
}

/** The segment's next rows, about `maxBytes` of lists; `done` with the last (the segment is let go then). */
function nextRows(session: Session, segment: number, maxBytes: number): { rows: BucketData[]; done: boolean } {
  const spent = session.spent.get(segment);
  if (!spent) throw new Error(`No segment ${segment} to write`);
  spent.rows ??= spent.builder.buckets(spent.buckets);
  const rows: BucketData[] = [];
  let bytes = 0;
  while (bytes < maxBytes) {
    const next = spent.rows.next();
    if (next.done) {
      session.spent.delete(segment);
      return { rows, done: true };
    }
    rows.push(next.value);
    bytes += next.value.data.length;
  }
  return { rows, done: false };
}
