// Importing an archive the user has as files: a cloned folder, a .zip from
// GitHub's "Download ZIP", or a .tar.gz. Runs in the options page (a page can
// read the user's files; the background cannot be handed them) and writes
// through the same staging as sync, so a failed or cancelled import leaves
// the archive as it was.
import { sourceIdPart } from '../core/source-id';
import { decodePostBytes, isSiteConfigPath, postPath } from '../core/archive-files';
import { gitBlobSha, SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';
import { MAX_POST_CHARS, parsePost } from '../core/post';
import { parseSiteConfig, type SiteConfig } from '../core/site';
import { readTar, TarFormatError } from '../core/tar';
import { blobAccess, listZip, readZipEntry, ZipFormatError } from '../core/zip';
import { BatchWriter, type ReadFile } from '../db/staging';
import { commitFull, type SyncCounts } from '../db/commit';
import { discardJob, nextGeneration } from '../db/generations';
import { withSourceLock } from '../db/locks';
import type { ArchiveDb, JobRecord, SourceRecord } from '../db/schema';
import { archiveTooLarge, cancelled, capped, gunzip, MAX_ARCHIVE_BYTES } from './http';
import { estimateEta, type SyncProgress } from './progress';

export type ArchiveInput =
  | { kind: 'file'; name: string; file: Blob }
  | { kind: 'folder'; name: string; files: { path: string; file: Blob }[] };

interface Entry {
  path: string;
  size: number;
  read: () => Promise<Uint8Array | null>;
}

const MAX_POST_BYTES = MAX_POST_CHARS * 4;
const BATCH = 500;

async function sniff(file: Blob): Promise<'gzip' | 'zip' | 'tar' | null> {
  const head = new Uint8Array(await file.slice(0, 512).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'zip';
  if (new TextDecoder().decode(head.subarray(257, 262)) === 'ustar') return 'tar';
  return null;
}

async function* blobChunks(blob: Blob, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onBytes(value.length);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

async function* entriesOf(input: ArchiveInput, onBytes: (read: number, total: number) => void): AsyncGenerator<Entry> {
  // What is unpacked from one archive is bounded as a whole, not only per post.
  let unpacked = 0;
  const count = (bytes: Uint8Array | null) => {
    unpacked += bytes?.length ?? 0;
    if (unpacked > MAX_ARCHIVE_BYTES) throw archiveTooLarge(input.name);
    return bytes;
  };
  if (input.kind === 'folder') {
    let read = 0;
    // The site configuration first: it says the time zone of post dates.
    const files = [...input.files].sort((a, b) => Number(isSiteConfigPath(b.path)) - Number(isSiteConfigPath(a.path)));
    for (const { path, file } of files) {
      read += file.size;
      onBytes(read, 0);
      yield { path, size: file.size, read: async () => (file.size > MAX_POST_BYTES ? null : count(new Uint8Array(await file.arrayBuffer()))) };
    }
    return;
  }
  const type = await sniff(input.file);
  if (!type) throw new SyncError('bad-archive', userMessage('fileNotAnArchive', input.name));
  if (type === 'zip') {
    const access = blobAccess(input.file);
    // The site configuration first, wherever the zip holds it: it says the time zone of post dates.
    const entries = (await listZip(access)).filter((e) => !e.directory).sort((a, b) => Number(isSiteConfigPath(b.path)) - Number(isSiteConfigPath(a.path)));
    for (const entry of entries) {
      onBytes(entry.localHeaderOffset, input.file.size);
      yield { path: entry.path, size: entry.size, read: async () => count(await readZipEntry(access, entry, MAX_POST_BYTES)) };
    }
    return;
  }
  // The site configuration first: a tar lists files in the order it was made, and one
  // made by hand may hold posts before it.
  const config = await tarConfig(input, type);
  if (config) yield { path: config.path, size: config.data.length, read: async () => config.data };
  let consumed = 0;
  const chunks = blobChunks(input.file, (n) => onBytes((consumed += n), input.file.size));
  for await (const entry of tarEntries(input, type, chunks)) {
    if (entry.type !== 'file' || (config && entry.path === config.path)) continue;
    yield { path: entry.path, size: entry.size, read: async () => entry.data };
  }
}

function tarEntries(input: { name: string }, type: 'gzip' | 'tar', chunks: AsyncIterable<Uint8Array>) {
  return readTar(capped(type === 'gzip' ? gunzip(chunks) : chunks, MAX_ARCHIVE_BYTES, () => archiveTooLarge(input.name)), { maxEntryBytes: MAX_POST_BYTES });
}

/**
 * A tar's site configuration, found by reading the archive up to it. It
 * stops there when the configuration comes before the posts (as in GitHub's
 * tarballs); only an archive with posts first, or none, is read through
 * twice (unpacking is a small part of an import).
 */
async function tarConfig(input: { name: string; file: Blob }, type: 'gzip' | 'tar'): Promise<{ path: string; data: Uint8Array } | null> {
  for await (const entry of tarEntries(input, type, blobChunks(input.file, () => {}))) {
    if (entry.type === 'file' && isSiteConfigPath(entry.path) && entry.data) return { path: entry.path, data: entry.data };
  }
  return null;
}

export interface ImportResult {
  source: SourceRecord;
  counts: SyncCounts;
}

type ImportOptions = {
  signal: AbortSignal;
  report: (progress: SyncProgress) => void;
  /**
   * What to do when a file of this name was imported before: `replace` that
   * source with this file, or `keep-both` (this one becomes a source of its
   * own). The page asks the reader first (sourceOfFile tells whether to).
   */
  sameName?: 'replace' | 'keep-both';
};

/** The source a file of this name was imported as, if one was (the reader is asked before it is replaced). */
export function sourceOfFile(db: ArchiveDb, name: string): Promise<SourceRecord | undefined> {
  return db.sources.get(fileSourceId(name));
}

/** The source id of a file import by its name (a file may be named with `|`: see core/source-id.ts). */
const fileSourceId = (name: string) => `file:${sourceIdPart(name)}`;

/**
 * Imports under the source's lock: the page holds it while it writes, and the
 * browser releases it if the page is closed, which is how start-up cleanup
 * knows an import was abandoned (db/locks.ts).
 */
export async function importArchive(db: ArchiveDb, input: ArchiveInput, options: ImportOptions): Promise<ImportResult> {
  let sourceId = fileSourceId(input.name);
  let name = input.name;
  if (options.sameName === 'keep-both') {
    // The first free "name (2)", "name (3)"…
    for (let n = 2; await db.sources.get(sourceId); n++) {
      name = `${input.name} (${n})`;
      sourceId = fileSourceId(name);
    }
  }
  return withSourceLock(sourceId, () => importLocked(db, sourceId, { ...input, name }, options));
}

async function importLocked(db: ArchiveDb, sourceId: string, input: ArchiveInput, options: ImportOptions): Promise<ImportResult> {
  // Imports of this source that a closed page left behind: nobody else holds the lock, so they are dead.
  for (const left of await db.jobs.where('sourceId').equals(sourceId).toArray()) if (left.local) await discardJob(db, left);
  const existing = await db.sources.get(sourceId);
  const source: SourceRecord = existing ?? {
    id: sourceId, kind: 'file', name: input.name, repo: null, site: null,
    postCount: 0, failureCount: 0, importedAt: 0, failures: [],
  };
  const job: JobRecord = {
    id: `${sourceId}#${Date.now()}`, sourceId, mode: 'full', gen: await nextGeneration(db, source), commitSha: '', branch: '', moves: [], remove: [], fetch: [],
    total: input.kind === 'folder' ? input.files.filter((f) => postPath(f.path)).length : 0,
    startedAt: Date.now(), requests: 0, bytes: 0, local: true,
  };
  await db.jobs.put(job);
  let site: SiteConfig | null = existing?.site ?? null;
  let done = 0;
  let fraction = 0;
  const report = (phase: SyncProgress['phase']) =>
    options.report({
      sourceId, phase, done, total: job.total, bytes: 0, requests: 0, startedAt: job.startedAt, message: '',
      fraction, etaMs: job.total ? estimateEta(done, job.total, job.startedAt, Date.now()) : fraction > 0.02 ? Math.round(((Date.now() - job.startedAt) / fraction) * (1 - fraction)) : null,
    });
  report('reading');
  let batch: ReadFile[] = [];
  let found = 0;
  const writer = new BatchWriter(db, job);
  try {
    let lastReport = 0;
    for await (const entry of entriesOf(input, (read, total) => (fraction = total ? read / total : 0))) {
      if (options.signal.aborted) throw cancelled();
      if (isSiteConfigPath(entry.path)) {
        const bytes = await entry.read();
        if (bytes) site = parseSiteConfig(new TextDecoder().decode(bytes));
        continue;
      }
      const path = postPath(entry.path);
      if (!path) continue;
      found++;
      const bytes = await entry.read();
      if (!bytes) {
        const message = entry.size > MAX_POST_BYTES
          ? `the file is ${entry.size.toLocaleString('en')} bytes, too large to be a post`
          : `the file unpacks to more than ${MAX_POST_BYTES.toLocaleString('en')} bytes, too large to be a post`;
        batch.push({ path, sha: '', result: { ok: false, error: { path, reason: 'too-large', message } } });
      } else {
        const decoded = decodePostBytes(bytes);
        const result = decoded.ok ? parsePost(decoded.text, path, { timeZone: site?.timezone }) : ({ ok: false, error: { path, reason: 'not-utf8', message: decoded.message } } as const);
        batch.push({ path, sha: gitBlobSha(bytes), result });
      }
      done++;
      if (batch.length >= BATCH) {
        await writer.write({ read: batch });
        batch = [];
      }
      if (Date.now() - lastReport > 200) {
        lastReport = Date.now();
        report('reading');
      }
    }
    if (options.signal.aborted) throw cancelled();
    await writer.write({ read: batch });
    await writer.done();
    if (found === 0) throw new SyncError('not-an-archive', userMessage('fileNotAnArchiveNoPosts', input.name));
    report('saving');
    job.site = site;
    const counts = await commitFull(db, job, source, options.signal, { create: !existing });
    return { source: (await db.sources.get(sourceId))!, counts };
  } catch (error) {
    // A batch still being saved is let finish first, so nothing is written after the discard.
    const writeFailure = await writer.failure();
    await discardJob(db, job);
    if (writeFailure instanceof SyncError) throw writeFailure;
    if (error instanceof SyncError) throw error;
    if (options.signal.aborted) throw cancelled();
    if (error instanceof ZipFormatError || error instanceof TarFormatError) {
      throw new SyncError('bad-archive', userMessage('fileUnreadable', input.name, error.message));
    }
    throw new SyncError('bad-archive', userMessage('fileUnreadable', input.name, error instanceof Error ? error.message : String(error)));
  }
}
