// A tarball's entries as the sync engine's worker unpacks them
// (engine/unpacker.ts): the background moves the compressed chunks there as
// they come and reads back the entries, each post's bytes left there for its
// parse. What the reading throws there comes back as the errors reading it
// here would throw (github-sync.ts tells the user which it was).
import { TarFormatError } from '../core/tar';
import { EngineLost } from '../engine/link';
import type { EngineSession } from '../engine/session';
import type { UnpackedEntry, UnpackStep } from '../engine/protocol';
import { UNPACK_TOO_LARGE } from '../engine/unpacker';

let nextStream = 0;

export interface UnpackUse {
  folders: readonly string[];
  maxEntryBytes: number;
  maxBytes: number;
  tooLarge: () => Error;
  /** Whether each file's sha is wanted now (the trees are being hashed). */
  hashing: () => boolean;
}

/**
 * The entries of a download unpacked by the engine. `drop` is told of held
 * bytes the caller will not parse (it lets them go with the next step).
 */
export function unpackedBy(session: EngineSession, download: AsyncIterable<Uint8Array>, use: UnpackUse): { entries: AsyncGenerator<UnpackedEntry>; drop: (held: number) => void } {
  const dropped: number[] = [];
  return { entries: unpack(session, download, use, dropped), drop: (held) => dropped.push(held) };
}

async function* unpack(session: EngineSession, download: AsyncIterable<Uint8Array>, use: UnpackUse, dropped: number[]): AsyncGenerator<UnpackedEntry> {
  const stream = nextStream++;
  const chunks = download[Symbol.asyncIterator]();
  const step = (more: Partial<UnpackStep>): UnpackStep => ({
    stream, hashing: use.hashing(), folders: [...use.folders], maxEntryBytes: use.maxEntryBytes, maxBytes: use.maxBytes,
    ...(dropped.length ? { drop: dropped.splice(0) } : {}), ...more,
  });
  let wantsInput = true;
  let done = false;
  /** The download gave its last chunk (the tar's end may come before it: gzip's trailer, padding). */
  let exhausted = false;
  try {
    while (!done) {
      let more: Partial<UnpackStep> = {};
      if (wantsInput) {
        const next = await chunks.next();
        exhausted = next.done === true;
        more = next.done ? { end: true } : { chunk: next.value };
      }
      const unpacked = await session.unpack(step(more)).catch((error: unknown) => {
        throw asLocal(error, use);
      });
      ({ wantsInput, done } = unpacked);
      yield* unpacked.entries;
    }
  } finally {
    // Stopped early (a failure, a cancel): the engine lets the download go.
    if (!done) session.unpack(step({ stop: true })).catch(() => {});
    // The rest of the download is not read: its read stops, and a copy kept on disk goes (sync/spool.ts).
    if (!exhausted) await chunks.return?.(undefined).catch(() => {});
  }
}

/** The error the reading in this thread would have thrown. */
function asLocal(error: unknown, use: UnpackUse): unknown {
  if (!(error instanceof Error) || error instanceof EngineLost) return error;
  if (error.message === UNPACK_TOO_LARGE) return use.tooLarge();
  if (/not a tar archive/.test(error.message)) return new TarFormatError(error.message);
  return error;
}
