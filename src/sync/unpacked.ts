// A tarball's entries as the sync engine's worker unpacks them
// (engine/unpacker.ts): the background moves the compressed chunks there as
// they come and reads back the entries, each post's path and bytes left there
// for its parse. What the reading throws there comes back as the errors reading it
// here would throw (github-sync.ts tells the user which it was).
import { TarFormatError } from '../core/tar';
import { EngineLost } from '../engine/link';
import type { EngineSession } from '../engine/session';
import type { UnpackedEntry, UnpackStep } from '../engine/protocol';
import type { ShaTable } from '../core/sha-table';
import { UNPACK_TOO_LARGE } from '../engine/unpacker';

let nextStream = 0;

export interface UnpackUse {
  folders: readonly string[];
  maxEntryBytes: number;
  maxBytes: number;
  tooLarge: () => Error;
  /** Whether the trees are hashed now (until the listing gives them). */
  hashing: () => boolean;
  /** Posts the sync saved before, which the engine skips. */
  skip?: Iterable<string>;
  /** The listing's shas as they are now (sent to the engine whenever they change). */
  shas?: () => ShaTable | undefined;
}

/**
 * The entries of a download unpacked by the engine (protocol.ts
 * UnpackedEntry), and the trees' shas it computed, once the entries have
 * all come, when it hashed them to the end.
 */
export function unpackedBy(session: EngineSession, download: AsyncIterable<Uint8Array>, use: UnpackUse): { entries: AsyncGenerator<UnpackedEntry>; trees: () => Record<string, string> | undefined } {
  let trees: Record<string, string> | undefined;
  return { entries: unpack(session, download, use, (t) => (trees = t)), trees: () => trees };
}

async function* unpack(session: EngineSession, download: AsyncIterable<Uint8Array>, use: UnpackUse, hashed: (trees: Record<string, string>) => void): AsyncGenerator<UnpackedEntry> {
  const stream = nextStream++;
  const chunks = download[Symbol.asyncIterator]();
  let first = true;
  let sentShas: ShaTable | undefined;
  const step = (more: Partial<UnpackStep>): UnpackStep => {
    const shas = use.shas?.();
    const changed = shas !== sentShas && shas !== undefined && shas.size > 0;
    sentShas = shas;
    const skip = first && use.skip ? [...use.skip] : [];
    first = false;
    return {
      stream, hashing: use.hashing(), folders: [...use.folders], maxEntryBytes: use.maxEntryBytes, maxBytes: use.maxBytes,
      ...(skip.length ? { skip } : {}), ...(changed ? { shas: shas.parts() } : {}), ...more,
    };
  };
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
      if (unpacked.trees) hashed(unpacked.trees);
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
