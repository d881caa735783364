// Files in packs (db/files.ts) as plain values: no database, so the schema's
// upgrade from row-per-file files (v6) can use them without a cycle.
import type { FailureRecord, FileEntry, FilePackRecord } from './records';
import type { ReadFile } from '../core/read-entry';

/** Files per pack when packs are made from a list (the changes of an incremental sync, the v7 upgrade). */
const PACK_FILES = 500;

export const packKey = (sourceId: string, gen: number, path: string) => `${sourceId}|${gen}|${path}`;

const byPath = (a: FileEntry, b: FileEntry) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** A parsed file's entry: its post, or why it is none. */
export function fileEntry(file: ReadFile): FileEntry {
  if (file.result.ok) return { path: file.path, sha: file.sha, postId: file.result.post.id };
  const { reason, message } = file.result.error;
  return { path: file.path, sha: file.sha, postId: null, failure: { path: file.path, reason, message } };
}

/** Packs of these files (distinct paths), sorted by path; each is keyed by its first path. */
export function filePacks(sourceId: string, gen: number, files: readonly FileEntry[]): FilePackRecord[] {
  const sorted = [...files].sort(byPath);
  const packs: FilePackRecord[] = [];
  for (let i = 0; i < sorted.length; i += PACK_FILES) {
    const chunk = sorted.slice(i, i + PACK_FILES);
    packs.push({ key: packKey(sourceId, gen, chunk[0]!.path), sourceId, gen, files: chunk });
  }
  return packs;
}

/** A file record of schema version 6 and before (a row per file). */
export interface V6File {
  key: string;
  sourceId: string;
  gen: number;
  path: string;
  sha: string;
  postKey: string | null;
  failure?: FailureRecord;
}

/** A version 6 file as a pack's entry. */
export function entryOf(row: V6File): FileEntry {
  const prefix = `${row.sourceId}|${row.gen}|`;
  const postId = row.postKey?.startsWith(prefix) ? row.postKey.slice(prefix.length) : null;
  return { path: row.path, sha: row.sha, postId, ...(row.failure ? { failure: row.failure } : {}) };
}

/** Version 6 files in packs, by source and generation. */
export function packsOf(rows: readonly V6File[]): FilePackRecord[] {
  const groups = new Map<string, { sourceId: string; gen: number; files: Map<string, FileEntry> }>();
  for (const row of rows) {
    const id = `${row.sourceId}\n${row.gen}`;
    const group = groups.get(id) ?? { sourceId: row.sourceId, gen: row.gen, files: new Map() };
    groups.set(id, group);
    group.files.set(row.path, entryOf(row));
  }
  return [...groups.values()].flatMap((g) => filePacks(g.sourceId, g.gen, [...g.files.values()]));
}
