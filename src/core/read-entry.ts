// A file of an archive as a sync reads it: its bytes, decoded and parsed into
// a post, or the reason it is not one. Pure, so the sync engine's worker
// (engine/engine.ts) and the sync itself share it.
import { gitBlobSha } from './github';
import { decodePostBytes } from './archive-files';
import { parsePost, MAX_POST_CHARS, type ParseResult } from './post';

/** Bytes past which a file is not read: no post is that long. */
export const MAX_POST_BYTES = MAX_POST_CHARS * 4;

export interface ReadFile {
  path: string;
  sha: string;
  result: ParseResult;
  /** The engine's name for the post's indexed fields, when it parsed the file (see engine/protocol.ts). */
  token?: number;
}

/** Parses one file; `data` null when it was too large to read. Its blob sha is computed when not known. */
export function readEntry(path: string, data: Uint8Array | null, size: number, sha: string | undefined, timeZone?: string): ReadFile {
  if (!data) {
    return { path, sha: sha ?? '', result: { ok: false, error: { path, reason: 'too-large', message: `the file is ${size.toLocaleString('en')} bytes, too large to be a post` } } };
  }
  const decoded = decodePostBytes(data);
  const result = decoded.ok
    ? parsePost(decoded.text, path, { timeZone })
    : ({ ok: false, error: { path, reason: 'not-utf8', message: decoded.message } } as const);
  return { path, sha: sha ?? gitBlobSha(data), result };
}
