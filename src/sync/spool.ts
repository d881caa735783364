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
// the sync and the rest would pile up: the download is started again and
// kept on disk whole before it is read, the posts already saved skipped. A
// slow connection never gets there, and its sync reads as the download
// comes (writing every download to disk first made such a sync wait the
// download's time and then the reading's); a fast one loses the few MB it
// had read and waits a few seconds for the rest.

/** Keeps a response's body on disk as it arrives; resolves once all of it is there, with the body to read from disk. */
export type Spool = (response: Response) => Promise<{ response: Response; release(): Promise<void> }>;

/**
 * A chunk this large says the network ran that far ahead of the sync. From a
 * fast network the second or third chunk is already the rest of a download
 * (each chunk is what came while the sync read the last), so an archive
 * whose download is smaller than this is never started again.
 */
export const RUNNING_AHEAD_BYTES = 16 << 20;

/** Thrown by `watchingPace`: the download should be spooled. */
export class RunningAhead extends Error {
  constructor() {
    super('The download runs ahead of the sync');
  }
}

/** Passes chunks on until one says the network has run `aheadBytes` ahead of the reader. */
export async function* watchingPace(chunks: AsyncIterable<Uint8Array>, aheadBytes: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (chunk.length > aheadBytes) throw new RunningAhead();
    yield chunk;
  }
}

/** The response's body, each chunk counted as it passes (the network's bytes, counted once when the spool reads them). */
export function counted(response: Response, count: (bytes: number) => void): Response {
  if (!response.body) return new Response(null);
  const counting = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, out) {
      count(chunk.length);
      out.enqueue(chunk);
    },
  });
  // Only the body: a cache refuses some headers GitHub sends (`Vary`), and none is read.
  return new Response(response.body.pipeThrough(counting));
}
