// A download unpacked by the sync engine (protocol.ts `unpack`): the
// background hands over the compressed chunks as they come, moved rather
// than copied, and gets back the tarball's entries without the posts' bytes,
// which stay here until `parse` names them. In Firefox the background page
// decompressed the download itself and copied each batch's bytes to the
// worker: the decompressed chunks, about the archive's size, went through
// the page as garbage its collector took back a few hundred MiB at a time
// (100–390 MiB of ArrayBuffers midway through society ×32, about:memory,
// December 2026), while the worker, which had the same bytes, held 20–40.
// Society ×8 in Firefox, three runs of each build alternated: the extension
// process's peak 665–703 MiB against 745–847 before; the sync 14.1–15.3 s
// against 11.5–13.6 (the background no longer parses a batch itself while the
// worker is busy, for the bytes are there). At ×32 the peak comes as the sync
// commits, and measured the same within the noise.
import { gitBlobSha } from '../core/github';
import { capped, gunzip } from '../core/gunzip';
import { isPostFile } from '../core/archive-files';
import { readTar, type TarEntry } from '../core/tar';
import type { UnpackedEntry } from './protocol';

/** What the read of a download too large to be an archive throws here; the background says so in its words. */
export const UNPACK_TOO_LARGE = 'The download is larger than an archive may be';

/** Entries handed over at most at once (a batch of the sync's); the reading waits until they are taken. */
const MAX_ENTRIES = 500;
/** Nor more of the posts' bytes than this. */
const MAX_HELD_BYTES = 8 << 20;

export interface UnpackOptions {
  /** The source's folders: files there that are posts are held, not handed over. */
  folders: readonly string[];
  maxEntryBytes: number;
  /** The most the decompressed download may be. */
  maxBytes: number;
  /** Keeps a post's bytes; returns the number `parse` will name them by. */
  hold(bytes: Uint8Array): number;
}

export interface Unpacked {
  entries: UnpackedEntry[];
  /** The reading waits for the download's next chunk. */
  wantsInput: boolean;
  /** Every entry was handed over. */
  done: boolean;
}

export class Unpacker {
  private readonly input: Uint8Array[] = [];
  private ended = false;
  /** The reading waits for input (none is left). */
  private starved = false;
  private finished = false;
  private failure: unknown = null;
  private out: UnpackedEntry[] = [];
  private outBytes = 0;
  /** Computes each file's git blob sha (the sync hashes the trees: github-sync.ts). */
  private hashing = false;
  private resumeInput: (() => void) | null = null;
  private resumeOutput: (() => void) | null = null;
  private wake: (() => void) | null = null;

  constructor(
    /** The download it reads: a new one starts another Unpacker. */
    readonly stream: number,
    private readonly options: UnpackOptions,
  ) {
    void this.read();
  }

  /**
   * Takes the download's next chunk (or its end) and hands over the entries
   * read since the last call, once the reading wants more input, has as many
   * as it hands at once, or is done. Throws what broke the reading.
   */
  async next(chunk: Uint8Array | undefined, end: boolean, hashing: boolean): Promise<Unpacked> {
    this.hashing = hashing;
    if (chunk) this.input.push(chunk);
    if (end) this.ended = true;
    if (chunk || end) {
      this.starved = false;
      this.resumeInput?.();
    }
    while (!this.finished && !this.full() && !(this.starved && this.input.length === 0)) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure) throw this.failure;
    const entries = this.out;
    this.out = [];
    this.outBytes = 0;
    this.resumeOutput?.();
    return { entries, wantsInput: this.starved && !this.ended, done: this.finished };
  }

  private full(): boolean {
    return this.out.length >= MAX_ENTRIES || this.outBytes >= MAX_HELD_BYTES;
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private async *chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.input.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.ended) return;
      this.starved = true;
      this.signal();
      await new Promise<void>((resolve) => (this.resumeInput = resolve));
      this.resumeInput = null;
    }
  }

  private async read(): Promise<void> {
    const { maxBytes, maxEntryBytes } = this.options;
    try {
      const tar = readTar(capped(gunzip(this.chunks()), maxBytes, () => new Error(UNPACK_TOO_LARGE)), { maxEntryBytes });
      for await (const entry of tar) {
        this.out.push(this.handed(entry));
        if (!this.full()) continue;
        this.signal();
        await new Promise<void>((resolve) => (this.resumeOutput = resolve));
        this.resumeOutput = null;
      }
    } catch (error) {
      this.failure = error;
    } finally {
      this.finished = true;
      this.signal();
    }
  }

  /** An entry as it is handed over: a post's bytes held here, another file's sha said (the site's configuration comes whole). */
  private handed(entry: TarEntry): UnpackedEntry {
    const { data, ...rest } = entry;
    if (entry.type !== 'file' || !data) return { ...rest, data: null };
    // GitHub wraps the tree in one folder: `<owner>-<repo>-<sha>/`.
    const path = entry.path.slice(entry.path.indexOf('/') + 1);
    const post = isPostFile(path, this.options.folders);
    const sha = this.hashing || !post ? gitBlobSha(data) : undefined;
    const withSha = sha ? { ...rest, sha } : rest;
    if (post) {
      this.outBytes += data.length;
      return { ...withSha, data: null, held: this.options.hold(data) };
    }
    // Its own copy: the bytes are a view of a chunk the reading still holds.
    return { ...withSha, data: path === '_config.yml' ? data.slice() : null };
  }
}
