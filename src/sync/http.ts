// HTTP for sync: counts requests and bytes, retries transient failures
// (network errors, 5xx) with backoff, and turns GitHub's answers into
// SyncErrors a person can read. No `browser` here: the engine runs in the
// background and, for tests and the CLI, in Node.
import { concatBytes } from '../core/bytes';
import { classifyResponse, SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  fetch: FetchLike;
  signal: AbortSignal;
  /** Waits between attempts; the number of entries is the number of retries. */
  backoffMs: readonly number[];
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

export function cancelled(): SyncError {
  return new SyncError('cancelled', userMessage('cancelled'));
}

export class Http {
  requests = 0;
  bytes = 0;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly options: HttpOptions) {
    this.sleep = options.sleep ?? abortableSleep;
  }

  get signal(): AbortSignal {
    return this.options.signal;
  }

  /** Runs `attempt` again after transient failures, with backoff. */
  async retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        if (this.signal.aborted) throw cancelled();
        const transient = error instanceof SyncError ? error.transient : false;
        if (!transient || i >= this.options.backoffMs.length) throw error;
        await this.sleep(this.options.backoffMs[i]!, this.signal).catch(() => {
          throw cancelled();
        });
      }
    }
  }

  /** One GET; 2xx and 304 are returned, everything else is thrown as a SyncError. */
  async get(
    url: string,
    headers: Record<string, string>,
    context: { repo: string; hasToken: boolean },
    classify: (status: number, headers: Headers, body: string) => SyncError | null = (status, h, body) => classifyResponse(status, h, body, context),
    /** The sync's signal, or one that also follows it (a request the sync may end itself). */
    signal: AbortSignal = this.signal,
  ): Promise<Response> {
    if (this.signal.aborted) throw cancelled();
    this.requests++;
    let response: Response;
    try {
      response = await this.options.fetch(url, { headers, signal, cache: 'no-store', credentials: 'omit' });
    } catch (error) {
      if (this.signal.aborted) throw cancelled();
      throw new SyncError('offline', userMessage('offlineHost', new URL(url).host), true);
    }
    if (response.status === 304 || response.ok) return response;
    const body = await response.text().catch(() => '');
    this.bytes += body.length;
    throw classify(response.status, response.headers, body) ?? new SyncError('other', userMessage('unexpectedAnswer', response.status));
  }

  /** Reads a whole body as text, counting its bytes; a broken body is a transient failure. */
  async text(response: Response): Promise<string> {
    const bytes = await this.bytesOf(response);
    return new TextDecoder().decode(bytes);
  }

  /** The whole body; with `maxBytes`, null as soon as it grows past that (the rest is not read). */
  async bytesOf(response: Response): Promise<Uint8Array>;
  async bytesOf(response: Response, maxBytes: number): Promise<Uint8Array | null>;
  async bytesOf(response: Response, maxBytes = Infinity): Promise<Uint8Array | null> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      return null;
    }
    const parts: Uint8Array[] = [];
    let length = 0;
    try {
      for await (const chunk of this.chunks(response)) {
        length += chunk.length;
        if (length > maxBytes) return null;
        parts.push(chunk);
      }
    } catch {
      if (this.signal.aborted) throw cancelled();
      throw new SyncError('offline', userMessage('downloadBroke'), true);
    }
    return concatBytes(parts, length);
  }

  /** The body as a stream of chunks, counting bytes as they arrive (unless `count` is false: a copy already counted). */
  async *chunks(response: Response, count = true): AsyncGenerator<Uint8Array> {
    if (!response.body) return;
    const reader = response.body.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        // A network read stops with the cancel; a copy on disk (sync/spool.ts) would read on.
        if (this.signal.aborted) throw cancelled();
        if (count) this.bytes += value.length;
        yield value;
      }
    } finally {
      // Stopped early (a size limit, a cancel): tell the server we are done.
      if (!finished) await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
}

/**
 * Everything a sync reads out of one download or file, decompressed: far
 * above any real archive (society is 15 MB of posts, teahouse about 60 MB),
 * low enough that a decompression bomb ends in seconds with a clear message.
 */
export const MAX_ARCHIVE_BYTES = 4 * 1024 ** 3;

export function archiveTooLarge(what: string): SyncError {
  return new SyncError('too-large', userMessage('archiveTooLarge', what, MAX_ARCHIVE_BYTES / 1024 ** 3));
}

// Pure stream steps, shared with the sync engine's worker (engine/unpacker.ts).
export { capped, gunzip } from '../core/gunzip';

