// A download unpacked by the sync engine (protocol.ts `unpack`): the
// background hands over the compressed chunks as they come, moved rather
// than copied, and gets back the posts by number: their paths and bytes stay
// here until `parse` names them. The engine also skips the posts saved
// before and hashes the trees (github-sync.ts says why), so no entry's path
// crosses. In Firefox the background page
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
import { capped, gunzip } from '../core/gunzip';
import { isPostFile } from '../core/archive-files';
import { TreeHasher } from '../core/git-tree';
import type { ShaTable } from '../core/sha-table';
import { TextSet } from '../core/text-keys';
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
  /** Posts the sync saved before: skipped. */
  skip: Iterable<string>;
  /** Whether the trees are hashed from the start. */
  hashing: boolean;
  /** Keeps a post's path and bytes; returns the number `parse` will name them by. */
  hold(path: string, bytes: Uint8Array): number;
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
  /** The trees being hashed (github-sync.ts), until the listing gives them. */
  private hasher: TreeHasher | null;
  private trees: Record<string, string> | undefined;
  /** The listing's shas, once it came. */
  private listed: ShaTable | null = null;
  private readonly skip: TextSet;
  private readonly inFolders: (dir: string) => boolean;
  private resumeInput: (() => void) | null = null;
  private resumeOutput: (() => void) | null = null;
  private wake: (() => void) | null = null;

  constructor(
    /** The download it reads: a new one starts another Unpacker. */
    readonly stream: number,
    private readonly options: UnpackOptions,
  ) {
    const folders = options.folders.map((f) => f.replace(/\/+$/, ''));
    this.inFolders = (dir) => folders.some((f) => dir === f || dir.startsWith(`${f}/`));
    this.hasher = options.hashing ? new TreeHasher(this.inFolders) : null;
    this.skip = new TextSet(options.skip);
    void this.read();
  }

  /**
   * Takes the download's next chunk (or its end) and hands over the entries
   * read since the last call, once the reading wants more input, has as many
   * as it hands at once, or is done. Throws what broke the reading.
   */
  async next(chunk: Uint8Array | undefined, end: boolean, hashing: boolean, listed?: ShaTable): Promise<Unpacked> {
    // The listing came whole: its trees are the sync's, and its shas the files'.
    if (!hashing) this.hasher = null;
    if (listed) this.listed = listed;
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
    return { entries, wantsInput: this.starved && !this.ended, done: this.finished, ...(this.finished && this.trees ? { trees: this.trees } : {}) };
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
        const handed = this.handed(entry);
        if (!handed) continue;
        this.out.push(handed);
        if (!this.full()) continue;
        this.signal();
        await new Promise<void>((resolve) => (this.resumeOutput = resolve));
        this.resumeOutput = null;
      }
      if (this.hasher) this.trees = await this.hasher.finish();
    } catch (error) {
      this.failure = error;
    } finally {
      this.finished = true;
      this.signal();
    }
  }

  /**
   * An entry as it is handed over, or null for one the sync does nothing
   * with: a post's bytes held here with its path, a post too large to read
   * and the site's configuration whole (a copy of its own: the bytes are a view
   * of a chunk the reading still holds). Each file in the folders is hashed
   * into its tree first, as the background did (github-sync.ts).
   */
  private handed(entry: TarEntry): UnpackedEntry | null {
    if (entry.type === 'directory') return null;
    // GitHub wraps the tree in one folder: `<owner>-<repo>-<sha>/`.
    const path = entry.path.slice(entry.path.indexOf('/') + 1);
    const { data } = entry;
    const post = entry.type === 'file' && isPostFile(path, this.options.folders);
    let sha = entry.type === 'file' ? this.listed?.get(path) : undefined;
    const cut = path.lastIndexOf('/');
    if (this.hasher && this.inFolders(cut < 0 ? '' : path.slice(0, cut))) sha = this.hasher.entry(path, entry, sha);
    if (entry.type !== 'file') return null;
    if (path === '_config.yml') return { ...entry, data: data ? data.slice() : null, ...(sha ? { sha } : {}) };
    if (!post || this.skip.has(path)) return null;
    if (!data) return { ...entry, ...(sha ? { sha } : {}) };
    this.outBytes += data.length;
    return { type: 'held', held: this.options.hold(path, data), size: entry.size, ...(sha ? { sha } : {}) };
  }
}
