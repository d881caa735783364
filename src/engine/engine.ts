// The sync engine itself (protocol.ts): pure, so it runs the same in its
// worker (worker.ts), inline in the background when no worker can be had,
// and in Node's tests.
import { readEntry } from '../core/read-entry';
import { IndexBuilder, type BucketData } from '../core/search-index';
import type { IndexedFields, Replies, Request } from './protocol';

interface Spent {
  builder: IndexBuilder;
  buckets: number;
  rows?: Generator<BucketData>;
}

class Session {
  builder = new IndexBuilder();
  /** Fields of parsed posts, by token, until the sync saves them (or the session ends). */
  readonly parsed = new Map<number, IndexedFields>();
  readonly spent = new Map<number, Spent>();
  nextToken = 0;
  nextSegment = 0;
  /** Milliseconds the engine worked for this session: the share of a sync its worker took off the background. */
  busyMs = 0;
}

export interface Handled<R> {
  reply: R;
  /** Buffers to move to the asker rather than copy. */
  transfer: ArrayBuffer[];
}

export class Engine {
  private readonly sessions = new Map<number, Session>();

  handle<R extends Request>(request: R): Handled<Replies[R['op']]> {
    const started = performance.now();
    try {
      return this.run(request, started) as Handled<Replies[R['op']]>;
    } finally {
      const session = this.sessions.get(request.session);
      if (session) session.busyMs += performance.now() - started;
    }
  }

  private session(id: number): Session {
    let session = this.sessions.get(id);
    if (!session) this.sessions.set(id, (session = new Session()));
    return session;
  }

  private run(request: Request, started: number): Handled<Replies[keyof Replies]> {
    if (request.op === 'close') {
      this.sessions.delete(request.session);
      return { reply: {}, transfer: [] };
    }
    const session = this.session(request.session);
    switch (request.op) {
      case 'parse': {
        const files = request.files.map((file) => {
          const read = readEntry(file.path, file.data, file.size, file.sha, request.timeZone);
          if (!read.result.ok) return read;
          const post = read.result.post;
          // Nothing reads a post's HTML once it is parsed (db/import.ts stores it blank): not sent back.
          post.bodyHtml = '';
          if (!request.keep) return read;
          const token = session.nextToken++;
          session.parsed.set(token, { title: post.title, channel: post.channel, author: post.author, tags: post.tags, summary: post.summary });
          return { ...read, token };
        });
        return { reply: { files }, transfer: [] };
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
