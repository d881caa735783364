// The sync engine itself (protocol.ts): pure, so it runs the same in its
// worker (worker.ts), inline in the background when no worker can be had,
// and in Node's tests.
import { readEntry } from '../core/read-entry';
import { IndexBuilder, type BucketData } from '../core/search-index';
import type { HeldFile, IndexedFields, Replies, Request, UnpackStep } from './protocol';
import { Unpacker } from './unpacker';
import type { Post } from '../core/post';
import { openArchive, type ArchiveDb } from '../db/schema';
import { savePosts } from './saving';
import { packNumbers } from '../db/post-packs';
import { isQuotaError } from '../db/quota';

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
  /** The archive, opened by the first `write`; and the last write's being stored (never rejects). */
  db: ArchiveDb | null = null;
  stored: Promise<Replies['saved']> = Promise.resolve({});
  readonly spent = new Map<number, Spent>();
  nextToken = 0;
  nextSegment = 0;
  /** Milliseconds the engine worked for this session: the share of a sync its worker took off the background. */
  busyMs = 0;
  /** The download being unpacked, and the posts' bytes it kept until they are parsed. */
  unpacker: Unpacker | null = null;
  readonly held = new Map<number, Uint8Array>();
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
    if (request.op === 'saved') return this.session(request.session).stored.then((reply) => ({ reply, transfer: [] })) as Promise<Handled<Replies[R['op']]>>;
    if (request.op === 'unpack') return this.unpack(this.session(request.session), request) as Promise<Handled<Replies[R['op']]>>;
    try {
      return this.run(request, started) as Handled<Replies[R['op']]>;
    } finally {
      const session = this.sessions.get(request.session);
      if (session) session.busyMs += performance.now() - started;
    }
  }

  private async unpack(session: Session, step: UnpackStep): Promise<Handled<Replies['unpack']>> {
    for (const held of step.drop ?? []) session.held.delete(held);
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
      hold: (bytes) => {
        const held = session.nextHeld++;
        session.held.set(held, bytes);
        return held;
      },
    });
    const unpacker = session.unpacker;
    const unpacked = await unpacker.next(step.chunk, step.end ?? false, step.hashing);
    if (unpacked.done && session.unpacker === unpacker) session.unpacker = null;
    // The site's configuration is the one file that comes with its bytes, a copy of its own.
    const transfer = unpacked.entries.flatMap((entry) => (entry.data ? [entry.data.buffer as ArrayBuffer] : []));
    return { reply: unpacked, transfer };
  }

  private session(id: number): Session {
    let session = this.sessions.get(id);
    if (!session) this.sessions.set(id, (session = new Session()));
    return session;
  }

  private run(request: Exclude<Request, { op: 'unpack' | 'saved' }>, started: number): Handled<Replies[keyof Replies]> {
    if (request.op === 'close') {
      this.sessions.get(request.session)?.db?.close();
      this.sessions.delete(request.session);
      return { reply: {}, transfer: [] };
    }
    const session = this.session(request.session);
    switch (request.op) {
      case 'parse': {
        const files = request.files.map((file) => {
          let data = file.data;
          if (file.held !== undefined) {
            data = session.held.get(file.held) ?? null;
            if (!data) throw new Error(`No unpacked file is held as ${file.held}`);
            session.held.delete(file.held);
          }
          const read = readEntry(file.path, data, file.size, file.sha, request.timeZone);
          if (!read.result.ok) return read;
          const post = read.result.post;
          // Nothing reads a post's HTML once it is parsed (db/import.ts stores it blank): not sent back.
          post.bodyHtml = '';
          if (!request.keep) return read;
          const token = session.nextToken++;
          if (request.hold) {
            session.posts.set(token, post);
            return { path: read.path, sha: read.sha, result: { ok: true, id: post.id, token } } satisfies HeldFile;
          }
          session.parsed.set(token, fieldsOf(post));
          return { ...read, token };
        });
        return { reply: { files: files as Replies['parse']['files'] }, transfer: [] };
      }
      case 'write': {
        packNumbers.after(request.lastPack);
        const posts = request.tokens.map((token) => ({ post: held(session, token), token }));
        const db = (session.db ??= openArchive(request.target.dbName));
        const { saved, stored } = savePosts(db, request.target, posts, request.files);
        // The posts' text goes; what `add` indexes stays.
        for (const { post, token } of posts) {
          session.posts.delete(token);
          session.parsed.set(token, fieldsOf(post));
        }
        session.stored = stored.then(
          () => ({}),
          (error: unknown) => ({ failure: { name: failureName(error), message: error instanceof Error ? error.message : String(error) } }),
        );
        return { reply: { posts: saved, lastPack: packNumbers.last() }, transfer: [] };
      }
      case 'take': {
        const posts = request.tokens.map((token) => held(session, token));
        request.tokens.forEach((token, i) => {
          session.posts.delete(token);
          session.parsed.set(token, fieldsOf(posts[i]!));
        });
        return { reply: { posts }, transfer: [] };
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
      case 'rows': {
        const spent = session.spent.get(request.segment);
        if (!spent) throw new Error(`No segment ${request.segment} to write`);
        spent.rows ??= spent.builder.buckets(spent.buckets);
        const rows: BucketData[] = [];
        const transfer: ArrayBuffer[] = [];
        let bytes = 0;
        let done = false;
        while (bytes < request.maxBytes) {
          const next = spent.rows.next();
          if (next.done) {
            done = true;
            session.spent.delete(request.segment);
            break;
          }
          rows.push(next.value);
          transfer.push(next.value.data.buffer as ArrayBuffer, next.value.ends.buffer as ArrayBuffer);
          bytes += next.value.data.length;
        }
        return { reply: { rows, done, busyMs: session.busyMs + performance.now() - started }, transfer };
      }
    }
  }
}

const fieldsOf = (post: Post): IndexedFields => ({ title: post.title, channel: post.channel, author: post.author, tags: post.tags, summary: post.summary });

function held(session: Session, token: number): Post {
  const post = session.posts.get(token);
  if (!post) throw new Error(`No parsed post is held as ${token}`);
  return post;
}

/** A full disk keeps its name across the port, however Dexie wrapped it (db/quota.ts). */
function failureName(error: unknown): string {
  if (isQuotaError(error)) return 'QuotaExceededError';
  return error instanceof Error ? error.name : 'Error';
}
