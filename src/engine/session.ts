// One index being built by the engine (protocol.ts), and which engine the
// background's syncs use now: a worker's while one is up (background/engine-host.ts),
// else one in this thread.
import type { ReadFile } from '../core/read-entry';
import { inlineLink, type EngineLink } from './link';
import type { HeldBatch, HeldFile, IndexItem, ParseFile, RawFile, Replies, RowsTarget, UnpackStep, WriteTarget } from './protocol';

/** Told when a session starts and ends on an engine, so its host can stop the worker once none is open. */
export interface EngineLifetime {
  retain(): void;
  release(): void;
}

let current: { link: EngineLink; lifetime?: EngineLifetime } | null = null;
let inline: EngineLink | null = null;

/** Sets the engine new sessions use (null: one in this thread). */
export function useEngine(link: EngineLink | null, lifetime?: EngineLifetime): void {
  current = link ? { link, ...(lifetime ? { lifetime } : {}) } : null;
}

/** The engine new sessions use: the worker's while it answers. */
function currentEngine(): { link: EngineLink; lifetime?: EngineLifetime } {
  if (current?.link.alive) return current;
  return { link: (inline ??= inlineLink()) };
}

let nextSession = 0;

export class EngineSession {
  private readonly id = nextSession++;
  private closed = false;
  private readonly link: EngineLink;
  private readonly lifetime: EngineLifetime | undefined;

  constructor() {
    ({ link: this.link, lifetime: this.lifetime } = currentEngine());
    this.lifetime?.retain();
  }

  /** Whether the session's work is done in another thread (then its files' bytes are moved there). */
  get remote(): boolean {
    return this.link !== inline;
  }

  /** Parses files; with `keep`, the engine keeps each post's fields for `add` to name by token. */
  async parse(files: ParseFile[], options: { timeZone?: string; keep: boolean }): Promise<ReadFile[]> {
    return (await this.parseThere(files, options)).files as ReadFile[];
  }

  /** Parses files and holds their posts there, for `write` or `take` (protocol.ts HeldFile). */
  async parseHeld(files: ParseFile[], timeZone?: string): Promise<HeldBatch> {
    const { files: held, batch } = await this.parseThere(files, { timeZone, keep: true, hold: true });
    return { files: held as HeldFile[], batch: batch! };
  }

  private async parseThere(files: ParseFile[], options: { timeZone?: string | undefined; keep: boolean; hold?: boolean }): Promise<Replies['parse']> {
    const { timeZone, keep, hold } = options;
    // To a worker, the batch's bytes go in one buffer, moved rather than copied.
    const sent = this.remote ? packed(files) : files;
    const bytes = sent.find((file) => 'data' in file && file.data) as RawFile | undefined;
    const transfer = this.remote && bytes?.data ? [bytes.data.buffer as ArrayBuffer] : [];
    return this.link.call({ op: 'parse', session: this.id, files: sent, keep, ...(hold ? { hold } : {}), ...(timeZone ? { timeZone } : {}) }, transfer);
  }

  /** Saves a held batch (protocol.ts `write`); `saved` says when it is stored. */
  write(target: WriteTarget, batch: number, lastPack: number, leave: number[] = []): Promise<Replies['write']> {
    return this.link.call({ op: 'write', session: this.id, target, batch, lastPack, ...(leave.length ? { leave } : {}) });
  }

  saved(): Promise<Replies['saved']> {
    return this.link.call({ op: 'saved', session: this.id });
  }

  take(batch: number): Promise<Replies['take']> {
    return this.link.call({ op: 'take', session: this.id, batch });
  }

  /** The download's next step for the engine to unpack (sync/unpacked.ts); a chunk's bytes are moved there. */
  unpack(step: UnpackStep): Promise<Replies['unpack']> {
    let { chunk } = step;
    // A view of part of a buffer is moved as a copy of its own: the rest of the buffer is not this step's.
    if (chunk && (chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength)) chunk = chunk.slice();
    const transfer = chunk && this.remote ? [chunk.buffer as ArrayBuffer] : [];
    return this.link.call({ op: 'unpack', session: this.id, ...step, ...(chunk ? { chunk } : {}) }, transfer);
  }

  add(items: IndexItem[]): Promise<Replies['add']> {
    return this.link.call({ op: 'add', session: this.id, items });
  }

  cut(): Promise<Replies['cut']> {
    return this.link.call({ op: 'cut', session: this.id });
  }

  /** Has the engine write the segment's next rows (protocol.ts `store`). */
  store(segment: number, maxBytes: number, target: RowsTarget): Promise<Replies['store']> {
    return this.link.call({ op: 'store', session: this.id, segment, maxBytes, target });
  }


  /** Frees what the engine holds for it; later requests start afresh. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.link.call({ op: 'close', session: this.id }).catch(() => {});
    this.lifetime?.release();
  }
}

/**
 * The files with their bytes copied into one buffer, each a view of it. The
 * bytes a tarball's reader gives are views of its chunks, which it still
 * reads; a buffer of their own for each file cost an allocation and a
 * transfer each (0.2 s of the background's time at 30,000 posts).
 */
export function packed(files: readonly ParseFile[]): ParseFile[] {
  let total = 0;
  for (const file of files) if ('data' in file) total += file.data?.length ?? 0;
  const buffer = new Uint8Array(total);
  let at = 0;
  return files.map((file) => {
    if (!('data' in file) || !file.data) return file;
    buffer.set(file.data, at);
    const data = buffer.subarray(at, (at += file.data.length));
    return { ...file, data };
  });
}
