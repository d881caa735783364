// Stream steps for reading an archive's download: decompressing it with the
// platform's DecompressionStream (in browsers, their workers and Node alike)
// and bounding how much of it is read. Here, not in sync/http.ts, because the
// sync engine's worker unpacks downloads too (engine/unpacker.ts).

/** Passes chunks on until `maxBytes` have gone by, then stops the read with `tooLarge`. */
export async function* capped(chunks: AsyncIterable<Uint8Array>, maxBytes: number, tooLarge: () => Error): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge();
    yield chunk;
  }
}

const GUNZIP_SLICE = 64 * 1024;

/** Decompresses a gzip stream of chunks with the platform's DecompressionStream. */
export async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  let sourceError: unknown = null;
  // Feeds the compressed chunks in. A broken gzip stream makes write/close
  // reject; the reading side reports that error, so it is not rethrown here.
  const pump = (async () => {
    try {
      for await (const chunk of chunks) {
        // A slice at a time: the network hands over up to 2 MiB at once, and
        // all of it decompressed was queued (14 MiB) before the tar reader
        // took the first piece.
        for (let at = 0; at < chunk.length; at += GUNZIP_SLICE) await writer.write(chunk.subarray(at, at + GUNZIP_SLICE) as Uint8Array<ArrayBuffer>);
      }
    } catch (error) {
      sourceError = error;
      await writer.abort(error).catch(() => {});
      return;
    }
    await writer.close().catch(() => {});
  })();
  const reader = stream.readable.getReader();
  let failed = false;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        failed = true;
        throw sourceError ?? error;
      }
      if (step.done) break;
      yield step.value;
    }
    await pump;
    if (sourceError) throw sourceError;
  } finally {
    // Stopping early (cancel) must not leave the pump waiting on a full stream.
    if (!failed) await reader.cancel().catch(() => {});
    await pump;
  }
}
