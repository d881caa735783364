// When a sync keeps its download on disk before reading it.
//
// Firefox's fetch reads the network as fast as it comes and holds whatever
// the page has not read yet in the extension's own process (the pipe between
// them has no bound), then hands it over in chunks of tens of MB. A sync
// reads its tarball at 1–5 MB/s, so from any faster connection the
// compressed archive piled up in memory: 140 MiB of ArrayBuffers in the
// background page midway through society ×32 (about:memory, December 2026).
// Chrome's network service stops reading when its pipe to the page is full,
// so there a download always streams as it is.
//
// A sync reads its download as it streams. Where a spool is given (Firefox),
// a chunk of more than `aheadBytes` at once says the network is outrunning
// the sync and the rest would pile up: that chunk and the rest of the
// download go to disk as they come (the Cache API pulls them through this
// page a chunk at a time and writes them in the browser's own process), and
// once all of it is there the sync reads on from disk where it was. A slow
// connection never gets there, and its sync reads as the download comes
// (writing every download to disk first made such a sync wait the
// download's time and then the reading's).
//
// Until December 2026 the download was started again instead, kept on disk
// whole, and read from its start, the posts saved meanwhile skipped: a fast
// connection downloaded the archive about one and a half times, and the
// sync unpacked and hashed its first part twice. Firefox, society ×8, five
// runs of each alternated end to end: 43.4 MB served against 73.9; the wait
// for the copy 0.4–1.1 s against 1.5–1.6 s (and 0.3–1.1 s hashing the first
// part again); the sync 27.3–42.5 s, median 29.5, against 30.1–38.2 s,
// median 33.9; the same peaks (519–616 MiB against 548–639). Society ×32,
// four runs each: 135 MB served against 257; the wait 2.4–4.0 s against
// 4.5–5.6; the sync 117–147 s, median 136, against 127–138 s, median 129
// (within the noise of one build: 107–170 s in earlier CI runs); the peak
// 760–878 MiB, median 803, against 840–956, median 903. (CI, the same
// week: ×32 in 120.7 s, peak 765 MiB, against 119.3–136.2 s, 845–921.)

/** Keeps a response's body on disk as it arrives; resolves once all of it is there, with the body to read from disk. */
export type Spool = (response: Response) => Promise<{ response: Response; release(): Promise<void> }>;

/**
 * A chunk this large says the network ran that far ahead of the sync. From a
 * fast network the second or third chunk is already the rest of a download
 * (each chunk is what came while the sync read the last), so an archive
 * whose download is smaller than this is never kept on disk.
 */
export const RUNNING_AHEAD_BYTES = 16 << 20;

/** How a download goes to disk when it runs ahead: `store` keeps it, `read` reads the copy's chunks, `waiting` wraps the wait for the copy (a stage of the sync's clock). */
export interface SpoolUse {
  store: Spool;
  aheadBytes: number;
  read(response: Response): AsyncIterable<Uint8Array>;
  waiting<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The download's chunks as they stream, until one says the network has run
 * `aheadBytes` ahead: from there the chunks come from the spool's copy of
 * that chunk and the rest, once the copy is whole. The copy is let go when
 * the reading stops, however it stops.
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
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array> | null = await take();
      if (next.done) return;
      if (next.value.length <= use.aheadBytes) {
        yield next.value;
        continue;
      }
      const copy = new Response(rest(take, next.value));
      // The chunk is held by the stream until the spool takes it, not by this frame while the copy is made.
      next = null;
      const kept = await use.waiting(() => use.store(copy));
      try {
        yield* use.read(kept.response);
      } finally {
        await kept.release().catch(() => {});
      }
      return;
    }
  } finally {
    // Stopped before the download ended (a size limit, a cancel, a spool that failed): it is let go.
    if (!ended) await iterator.return?.().catch(() => {});
  }
}

/** A stream of `first` and then the rest of the download. */
function rest(take: () => Promise<IteratorResult<Uint8Array>>, first: Uint8Array): ReadableStream<Uint8Array> {
  let pending: Uint8Array | null = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = null;
        return;
      }
      const next = await take();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel() {
      pending = null;
    },
  });
}
