// When a sync reads its download from a copy kept on disk.
//
// Both browsers' fetch read the network as fast as it comes and hold
// whatever the page has not read yet in the extension's own process, without
// bound. Firefox hands it over in chunks of tens of MB; Chromium (Blink's
// BufferingBytesConsumer, which starts 50 ms after the response unless the
// request has `integrity` or the response says `no-store`) hands it over in
// the small pieces it read, kept on Blink's heap. A sync reads its tarball
// at 1–5 MB/s, so from any faster connection the compressed archive piled up
// in memory: 140 MiB of ArrayBuffers in Firefox's background page midway
// through society ×32 (about:memory, December 2026), and 55 MiB of
// `HeapVectorBacking<char>` in Chromium's service worker (a memory-infra
// dump, scripts/probe/sync-memory.ts).
//
// Since December 2026 Chromium's downloads from GitHub say `no-store` to the
// extension (background/download-pacing.ts), which turns that read-ahead
// off: they come as fast as the sync reads them and are never kept on disk.
// The spool is Firefox's, and Chromium's should the rule be refused.
//
// A sync reads its download as it streams. Where a spool is given, a copy of
// the download (a clone of the response, a branch the browser feeds itself)
// goes to disk from its first byte, never passing through this page, while
// the sync reads the download itself. The download has run ahead once a
// chunk comes of more than `aheadBytes` at once (Firefox), or once reads have
// found data waiting, none of them having to wait for the network, for
// `aheadMs` and a quarter of `aheadBytes` (either browser): the download
// itself is let go there (what piled up in it goes with it), and once the
// copy is whole the sync reads on from it, after the bytes it read already.
// A slow connection never gets there, and its sync reads as the download
// comes (writing every download to disk first and reading it after made
// such a sync wait the download's time and then the reading's); its copy
// goes once it is whole, and one the sync no longer wants goes at once.
//
// Until December 7, 2026 the copy began with the chunk that ran ahead, and
// this page handed it and the rest to the Cache API: the rest of a fast
// download passed through the page's heap (48 MiB of ArrayBuffers 5 s into
// society ×8 in Firefox) and Firefox's extension process peaked at 599 and
// 611 MiB in the first 15 s of society ×32; with the clone, at 445 and 432,
// and the sync took 82–101 s against 85–104 (scripts/probe/firefox-memory.ts,
// `/tmp/abfft.sh 32 2`, in the note of that day).
//
// What the download gave that the reading lets go (the chunk that ran ahead,
// and the copy's pieces it reads past) is freed there and then
// (core/typed-arrays.ts freeBuffer): this page allocates too little for its
// collector to come soon. Society ×8 in Firefox (about:memory 4 and 6 s in,
// scripts/probe/firefox-memory.ts): the page held 48 and 52 MiB of
// ArrayBuffers before, 26 and 8 with this; the process 430 MiB resident at
// 6 s against 374. Society ×32, four rounds alternated: the peak 490, 482,
// 459 and 461 MiB against 551, 505, 504 and 503; the mean over the sync 405,
// 387, 393 and 382 against 415, 395, 395 and 402.
//
// Chromium, society ×32, three runs of each build alternated (`/tmp/abprobe.sh`
// in the note of December 6): the extension process's peak 480–531 MiB with
// the download kept on disk from its start, against 562–586 MiB read as it
// came; the sync 56–62 s against 53–56 s.
//
// Firefox until December 2026 started the download again instead, kept it
// on disk whole and read it from its start, the posts saved meanwhile
// skipped: a fast connection downloaded the archive about one and a half
// times. Society ×8, five runs of each alternated end to end: 43.4 MB served
// against 73.9; the wait for the copy 0.4–1.1 s against 1.5–1.6 s; the sync
// 27.3–42.5 s, median 29.5, against 30.1–38.2 s, median 33.9; the same peaks
// (519–616 MiB against 548–639). Society ×32, four runs each: 135 MB served
// against 257; the peak 760–878 MiB, median 803, against 840–956, median 903.
import { freeBuffer } from '../core/typed-arrays';

/** Keeps a response's body on disk as it arrives; resolves once all of it is there, with the body to read from disk. */
export type Spool = (response: Response) => Promise<{ response: Response; release(): Promise<void> }>;

/**
 * A chunk this large says the network ran that far ahead of the sync. From a
 * fast network the second or third chunk is already the rest of a download
 * (each chunk is what came while the sync read the last), so an archive
 * whose download is smaller than this is never kept on disk.
 */
export const RUNNING_AHEAD_BYTES = 16 << 20;

/**
 * How long reads may find data waiting, none of them waiting for the
 * network, before the download counts as ahead (with a quarter of
 * RUNNING_AHEAD_BYTES read meanwhile). A sync that pauses (a batch saved, a
 * collection) finds a backlog after it even from a slower network, which
 * its reads soon empty; two seconds of reads that never wait mean the
 * network keeps up with the reading (or is a little slower and the pause
 * was long: then the rest goes to disk too, and the sync reads it from
 * there once it is whole).
 */
export const RUNNING_AHEAD_MS = 2_000;

/** A read that took this long waited for the network (a read of data already there is a task hop). */
const WAITED_MS = 2;

/** How a download is read from its copy on disk when it runs ahead: `read` reads the copy's chunks, `waiting` wraps the wait for the copy (a stage of the sync's clock). */
export interface SpoolUse {
  aheadBytes: number;
  /** RUNNING_AHEAD_MS unless said (tests), and the clock it is measured with. */
  aheadMs?: number;
  now?: () => number;
  read(response: Response): AsyncIterable<Uint8Array>;
  waiting<T>(work: () => Promise<T>): Promise<T>;
  /** Told of the copy's bytes that the download itself never gave (past the chunk that ran ahead): the rest of the download's count. */
  unread?(bytes: number): void;
  /**
   * The copy of the whole download on its way to disk from its first byte (a
   * clone of the response given to a Spool). `stop` ends its download when
   * the reading stops early without it.
   */
  copied: { kept: ReturnType<Spool>; stop(): void };
}

/**
 * The download's chunks as they stream, until the network has run ahead
 * (a chunk of more than `aheadBytes`, or reads that found data waiting for
 * `aheadMs`): from there the download is let go and the chunks come from the
 * copy, once it is whole, from the first byte not yet read. The copy is let
 * go when the reading stops, however it stops.
 */
export async function* spoolingWhenAhead(chunks: AsyncIterable<Uint8Array>, use: SpoolUse): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let ended = false;
  /** The download's next chunk; `ended` once it has none or broke off. */
  const take = async (): Promise<IteratorResult<Uint8Array>> => {
    try {
      const next = await iterator.next();
      if (next.done) ended = true;
      return next;
    } catch (error) {
      ended = true;
      throw error;
    }
  };
  const now = use.now ?? (() => performance.now());
  const aheadMs = use.aheadMs ?? RUNNING_AHEAD_MS;
  /**
   * When reads began to find data waiting (the first that did not wait: a
   * pause of the sync before it is not counted), and how much they read since.
   */
  let runFrom: number | null = null;
  let runBytes = 0;
  /** Bytes yielded from the download itself (a copy from the first byte skips them). */
  let yielded = 0;
  let copyUsed = false;
  try {
    for (;;) {
      const asked = now();
      let next: IteratorResult<Uint8Array> | null = await take();
      if (next.done) return;
      const came = now();
      if (came - asked >= WAITED_MS) {
        runFrom = null;
        runBytes = 0;
      } else {
        runFrom ??= came;
        runBytes += next.value.length;
      }
      const ahead = next.value.length > use.aheadBytes || (runFrom !== null && came - runFrom >= aheadMs && runBytes >= use.aheadBytes / 4);
      if (!ahead) {
        yielded += next.value.length;
        yield next.value;
        continue;
      }
      /** Where the copy's bytes begin that the download never gave. */
      const given = yielded + next.value.length;
      // The chunk that ran ahead is read again from the copy: it is not held while the copy is waited for,
      // nor left for the collector (tens of MB in Firefox, where this page allocates too little to collect soon).
      freeBuffer(next.value);
      next = null;
      copyUsed = true;
      // The download itself stops here (what piled up in it goes); the copy, a branch of its own, goes on
      // to disk. Not waited for: a branch's cancel settles only once the other branch is done too.
      ended = true;
      void iterator.return?.().catch(() => {});
      let kept: Awaited<SpoolUse['copied']['kept']>;
      try {
        kept = await use.waiting(() => use.copied.kept);
      } catch (error) {
        use.copied.stop();
        throw error;
      }
      try {
        let skip = yielded;
        let at = 0;
        for await (const chunk of use.read(kept.response)) {
          at += chunk.length;
          if (at > given) use.unread?.(Math.min(chunk.length, at - given));
          if (skip >= chunk.length) {
            skip -= chunk.length;
            freeBuffer(chunk);
            continue;
          }
          const rest = skip ? chunk.subarray(skip) : chunk;
          skip = 0;
          yield rest;
        }
      } finally {
        await kept.release().catch(() => {});
      }
      return;
    }
  } finally {
    if (!copyUsed) {
      // Not read from: a copy of a download read to its end goes once it is on disk; one stopped early goes now
      // (first: letting the download go below waits for the copy's branch to be done).
      if (ended) use.copied.kept.then((kept) => kept.release(), () => {});
      else dropCopy(use.copied);
    }
    // Stopped before the download ended (a size limit, a cancel): it is let go.
    if (!ended) await iterator.return?.().catch(() => {});
  }
}

/**
 * Starts the copy of `response` on its way to disk (before anything reads
 * it). Its release runs once, however many ask: the reading's end and the
 * sync's (dropCopy) both do. `stop` ends the copy's download.
 */
export function copyToDisk(store: Spool, response: Response, stop: () => void): SpoolUse['copied'] {
  const kept = store(response.clone()).then(({ response: stored, release }) => {
    let releasing: Promise<void> | null = null;
    return { response: stored, release: () => (releasing ??= release()) };
  });
  kept.catch(() => {}); // thrown where the copy is read from
  return { kept, stop };
}

/**
 * Stops the copy's download and deletes what it kept once it is on disk:
 * what the sync calls however its reading ended, for a reader that fails
 * may never hand the download back to be let go (its chunks' generator then
 * never reaches its `finally`). Harmless after that `finally`, and twice.
 */
export function dropCopy(copy: SpoolUse['copied']): void {
  copy.stop();
  copy.kept.then((kept) => kept.release(), () => {});
}
