// How a running sync writes without disturbing what the user sees.
//
// A full sync (first sync, tarball, file, bundle) writes a new generation of
// the source's posts and files beside the visible one; lookups only show a
// source's current generation. Completing the sync switches the source to the
// new generation in one small transaction, then drops the old one in chunks.
// Nothing is copied, so time and memory do not grow with the archive; a
// failed or cancelled sync just drops its generation.
//
// An incremental sync (a few changed files) stages what it reads in the
// staged tables and applies it, with removals and moves, in one transaction.
//
// Rows are keyed by path and post, so a resumed sync never duplicates anything.
//
// Ownership: every generation but the visible one belongs to exactly one job
// (generations are never reused, see nextGeneration), the visible one to the
// source; nothing here ever deletes the visible generation. Writers hold the
// source's lock (db/locks.ts) while they write.
import { SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';
import type { ParseResult } from '../core/post';
import { preferredPath, sortPaths } from '../core/twins';
import { postKey, toRecord } from './import';
import type { Table } from 'dexie';
import { eachPack, FileSet, filePacks, filesOf } from './files';
import { eachUnderPrefix } from './key-range';
import type { ArchiveDb, FailureRecord, FileEntry, JobRecord, PostRecord, SourceRecord, StagedFile, StagedPost } from './schema';
import { carryRemoved, countRemoved, markRemoved, mustHold } from './removed';
import { buildSearchIndex, dropIndexRows, ensureSearchIndex, GenerationIndex, hasIndex, newBuild, REBUILD_AFTER } from './search-index';

const stageKey = (jobId: string, key: string) => `${jobId}|${key}`;

export interface ReadFile {
  path: string;
  sha: string;
  result: ParseResult;
}

type JobRef = Pick<JobRecord, 'id' | 'sourceId' | 'mode' | 'gen'>;

function fileEntry(file: ReadFile): FileEntry {
  if (file.result.ok) return { path: file.path, sha: file.sha, postId: file.result.post.id };
  const { reason, message } = file.result.error;
  return { path: file.path, sha: file.sha, postId: null, failure: { path: file.path, reason, message } };
}

/** A full disk (or the browser's quota for the extension) as the user should hear of it. */
export function storageFull(): SyncError {
  return new SyncError('storage-full', userMessage('storageFull'));
}

function isQuotaError(error: unknown): boolean {
  // Dexie passes IndexedDB's DOMException on, or wraps it (`inner`); browsers name it QuotaExceededError.
  for (let e = error as { name?: unknown; inner?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (e.name === 'QuotaExceededError') return true;
    e = (e.inner ?? e.cause ?? null) as typeof e;
  }
  return false;
}

/** Runs a write; a full disk becomes a permanent SyncError, so it is never retried as if the network failed. */
async function writing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isQuotaError(error) ? storageFull() : error;
  }
}

/** Saves a batch of read files for a job (full: into its generation; incremental: into staging). */
export function stageBatch(db: ArchiveDb, job: JobRef, files: readonly ReadFile[]): Promise<void> {
  return writing(() => stageBatchNow(db, job, files));
}

/**
 * The search index of each running full sync, fed with the posts it writes
 * so the index costs no second read of the archive; null when the job did
 * not start in this worker (resumed), whose index is then built from the
 * stored posts at the end. Keyed by job and generation.
 */
const liveIndexes = new Map<string, GenerationIndex | null>();
const liveKey = (job: JobRef) => `${job.id}|${job.gen}`;

async function liveIndexOf(db: ArchiveDb, job: JobRef): Promise<GenerationIndex | null> {
  const key = liveKey(job);
  if (!liveIndexes.has(key)) {
    const fresh = (await db.posts.where('[sourceId+gen]').equals([job.sourceId, job.gen]).limit(1).count()) === 0;
    liveIndexes.set(key, fresh ? new GenerationIndex() : null);
  }
  return liveIndexes.get(key)!;
}

async function stageBatchNow(db: ArchiveDb, job: JobRef, files: readonly ReadFile[]): Promise<void> {
  // A path read twice (a hand-made tar may hold one twice) counts as its last copy.
  const entries = [...new Map(files.map((f) => [f.path, fileEntry(f)])).values()];
  const ids = [...new Set(entries.flatMap((e) => (e.postId === null ? [] : [e.postId])))];
  const keys = ids.map((id) => postKey(job.sourceId, job.gen, id));
  if (job.mode === 'full') {
    const index = await liveIndexOf(db, job);
    // A fresh generation holds only what this job wrote, which its live index
    // knows: only a twin of a post of an earlier batch is read back (a get
    // per post was half the requests of a large sync).
    const stored = index ? ids.filter((id) => index.has(id)).map((id) => postKey(job.sourceId, job.gen, id)) : keys;
    const written = await db.transaction('rw', db.posts, db.files, async () => {
      const posts = new Map<string, PostRecord>();
      if (stored.length) for (const row of await db.posts.bulkGet(stored)) if (row) posts.set(row.key, row);
      for (const file of files) {
        if (!file.result.ok) continue;
        const key = postKey(job.sourceId, job.gen, file.result.post.id);
        posts.set(key, toRecord(job.sourceId, job.gen, file.result.post, posts.get(key)));
      }
      await db.posts.bulkPut([...posts.values()]);
      await db.files.bulkPut(filePacks(job.sourceId, job.gen, entries));
      return [...posts.values()];
    });
    // Only what is stored: a failed transaction adds nothing.
    if (index) for (const post of written) index.add(post);
    return;
  }
  await db.transaction('rw', db.staged, db.stagedFiles, async () => {
    const posts = new Map<string, StagedPost>();
    for (const row of await db.staged.bulkGet(keys.map((k) => stageKey(job.id, k)))) if (row) posts.set(row.key, row);
    for (const file of files) {
      if (!file.result.ok) continue;
      const key = postKey(job.sourceId, job.gen, file.result.post.id);
      const merged = toRecord(job.sourceId, job.gen, file.result.post, posts.get(key));
      posts.set(key, { ...merged, stageKey: stageKey(job.id, key), jobId: job.id });
    }
    await db.staged.bulkPut([...posts.values()]);
    await db.stagedFiles.bulkPut(entries.map((e) => ({ ...e, stageKey: stageKey(job.id, e.path), jobId: job.id })));
  });
}

/**
 * Saves a job's batches one after another while its caller reads and parses
 * the next: the database commits a batch in another process, and waiting for
 * each commit left the worker idle more than half of a large sync. At most
 * one batch is being saved and one being read.
 */
export class BatchWriter {
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: ArchiveDb,
    private readonly job: JobRef,
  ) {}

  /** Waits until the previous batch is saved (throwing its error), then starts saving this one. */
  async write(files: readonly ReadFile[]): Promise<void> {
    await this.last;
    if (files.length === 0) return;
    this.last = stageBatch(this.db, this.job, files);
    // Surfaced by the next write() or by done(); never an unhandled rejection meanwhile.
    this.last.catch(() => {});
  }

  /** Resolves when every batch is saved; rejects with the first failure. */
  done(): Promise<void> {
    return this.last;
  }

  /** The error of the batch being saved, if it failed: it explains a failure better than what followed it. */
  async failure(): Promise<unknown> {
    return this.last.then(() => null, (error: unknown) => error);
  }
}

/** Paths a job has already saved: a resumed sync skips them. */
export async function stagedPaths(db: ArchiveDb, job: JobRef): Promise<Set<string>> {
  if (job.mode === 'full') return new Set((await filesOf(db, job.sourceId, job.gen)).keys());
  return new Set((await db.stagedFiles.where('jobId').equals(job.id).toArray()).map((r) => r.path));
}

const CHUNK = 1000;

/** Every table whose rows belong to a generation of a source (all have a [sourceId+gen] index). */
const generationTables = (db: ArchiveDb) => [db.posts, db.files, db.searchBuckets, db.searchDocs] as const;

/** Deletes a source's rows of the generations in [from, to), a chunk at a time, each chunk its own short transaction. */
async function deleteGenerations(table: ReturnType<typeof generationTables>[number], sourceId: string, from: number, to: number): Promise<void> {
  if (from >= to) return;
  const rows = table as unknown as ArchiveDb['files'];
  for (;;) {
    // Key-only reads on the compound index: fast, and nothing is loaded.
    const keys = (await rows.where('[sourceId+gen]').between([sourceId, from], [sourceId, to], true, false).limit(CHUNK).primaryKeys()) as string[];
    if (keys.length === 0) return;
    await rows.bulkDelete(keys);
  }
}

/**
 * Drops the generations of a source that nobody owns: not the visible one,
 * not one a job is writing. Call it holding the source's lock.
 */
export async function dropUnownedGenerations(db: ArchiveDb, sourceId: string): Promise<void> {
  const source = await db.sources.get(sourceId);
  const keep = new Set<number>([source?.gen ?? 0]);
  for (const job of await db.jobs.where('sourceId').equals(sourceId).toArray()) if (job.mode === 'full') keep.add(job.gen);
  const kept = [...keep].sort((a, b) => a - b);
  for (const table of generationTables(db)) {
    let from = -Infinity;
    for (const gen of kept) {
      await deleteGenerations(table, sourceId, from, gen);
      from = gen + 1;
    }
    await deleteGenerations(table, sourceId, from, Infinity);
  }
  // In the visible generation, index rows of other builds (a rebuild's leftovers).
  if (source) await dropIndexRows(db, sourceId, source.gen ?? 0, hasIndex(source) ? source.searchIndex.build : null);
}

/** Throws away what a failed or cancelled job wrote; the visible archive is untouched. */
export async function discardJob(db: ArchiveDb, job: JobRef): Promise<void> {
  liveIndexes.delete(liveKey(job));
  const source = await db.sources.get(job.sourceId);
  // Never the visible generation, whatever the job record says.
  if (job.mode === 'full' && (source?.gen ?? 0) !== job.gen) {
    for (const table of generationTables(db)) await deleteGenerations(table, job.sourceId, job.gen, job.gen + 1);
  }
  await db.transaction('rw', db.staged, db.stagedFiles, db.jobs, async () => {
    await db.staged.where('jobId').equals(job.id).delete();
    await db.stagedFiles.where('jobId').equals(job.id).delete();
    await db.jobs.delete(job.id);
  });
}

export interface SyncCounts {
  added: number;
  changed: number;
  removed: number;
  moved: number;
  /** Posts the source removed that the archive now keeps, marked (db/removed.ts). */
  kept?: number;
  /** Milliseconds the search index took (a full sync): adding each post as it was written, and writing the index's rows. */
  indexMs?: number;
  /** Of `indexMs`, writing the rows. */
  indexWriteMs?: number;
}

const MAX_FAILURES_KEPT = 5000;

/**
 * The generation a new full sync of this source writes: above the visible
 * one, every job's and any rows left behind, so two jobs (an import abandoned
 * with its tab, and the next one) never share a generation.
 */
export async function nextGeneration(db: ArchiveDb, source: SourceRecord): Promise<number> {
  let top = source.gen ?? 0;
  for (const job of await db.jobs.where('sourceId').equals(source.id).toArray()) top = Math.max(top, job.gen);
  for (const table of [db.posts, db.files] as const) {
    // The highest [sourceId+gen] key of the source: one key read.
    const last = (await (table as unknown as ArchiveDb['files']).where('[sourceId+gen]').between([source.id, -Infinity], [source.id, Infinity]).reverse().limit(1).keys()) as unknown as [string, number][];
    if (last[0]) top = Math.max(top, last[0][1]);
  }
  return top + 1;
}

/** A commit finds the source gone (removed meanwhile) or the sync cancelled: nothing is written. */
function stillWanted(current: SourceRecord | undefined, signal?: AbortSignal): SourceRecord {
  if (!current || signal?.aborted) throw new SyncError('cancelled', userMessage('cancelled'));
  return current;
}

/** Completes a full sync: the job's generation becomes the source. */
export function commitFull(db: ArchiveDb, job: JobRecord, source: SourceRecord, signal?: AbortSignal, options: { create?: boolean } = {}): Promise<SyncCounts> {
  return writing(() => commitFullNow(db, job, source, signal, options.create === true));
}

async function commitFullNow(db: ArchiveDb, job: JobRecord, source: SourceRecord, signal: AbortSignal | undefined, create: boolean): Promise<SyncCounts> {
  const oldGen = source.gen ?? 0;
  // Paths and shas, not posts: small even for large archives.
  const before = await filesOf(db, source.id, oldGen);
  const counts: SyncCounts = { added: 0, changed: 0, removed: 0, moved: 0 };
  const failures: FailureRecord[] = [];
  let failureCount = 0;
  await eachPack(db, source.id, job.gen, (packs) => {
    for (const f of packs.flatMap((p) => p.files)) {
      if (f.failure) {
        failureCount++;
        if (failures.length < MAX_FAILURES_KEPT) failures.push(f.failure);
      }
      const had = before.get(f.path);
      if (had === undefined) counts.added++;
      else if (had.sha !== f.sha) counts.changed++;
      // What is left at the end was removed.
      before.delete(f.path);
    }
  });
  counts.removed = before.size;

  // Posts the source no longer has stay, marked (db/removed.ts), in the new generation too.
  const live = liveIndexes.get(liveKey(job));
  liveIndexes.delete(liveKey(job));
  const gone = new Set([...before.values()].flatMap((f) => (f.postId === null ? [] : [f.postId])));
  // A file imported again replaces its earlier import: the reader chose that file (and was asked).
  const kept = source.kind === 'file' ? { carried: [], newlyRemoved: 0, held: false } : await carryRemoved(db, source, job.gen, gone, async (ids) => {
    if (live) return ids.map((id) => live.has(id));
    const rows = await db.posts.bulkGet(ids.map((id) => postKey(source.id, job.gen, id)));
    return rows.map((row) => row !== undefined);
  }, Date.now());
  if (live) for (const post of kept.carried) live.add(post);
  counts.kept = kept.newlyRemoved;

  // The new generation becomes visible with its search index, never without:
  // the one made while the posts were written when it holds them all, else
  // one built from the stored posts (a resumed sync).
  await dropIndexRows(db, source.id, job.gen, null);
  const stored = await db.posts.where('[sourceId+gen]').equals([source.id, job.gen]).count();
  const build = newBuild();
  if (live && live.posts === stored) {
    await live.write(db, source.id, job.gen, build);
    counts.indexMs = Math.round(live.ms);
    counts.indexWriteMs = Math.round(live.writeMs);
  } else {
    const built = await buildSearchIndex(db, source.id, job.gen, build, () => {
      if (signal?.aborted) throw new SyncError('cancelled', userMessage('cancelled'));
    });
    counts.indexMs = Math.round(built.ms);
  }

  await db.transaction('rw', db.posts, db.sources, db.jobs, async () => {
    // A file import creates its source; a sync's source must still be there.
    const current = stillWanted((await db.sources.get(source.id)) ?? (create ? source : undefined), signal);
    const postCount = await db.posts.where('[sourceId+gen]').equals([source.id, job.gen]).count();
    const searchIndex = { gen: job.gen, build, changed: [], videos: true as const };
    const removedCount = await countRemoved(db, source.id, job.gen);
    await db.sources.put(finished(current, job, { gen: job.gen, postCount, failures, failureCount, searchIndex, removedCount, ...held(current, kept.held, removedCount) }));
    await db.jobs.delete(job.id);
  });
  await dropUnownedGenerations(db, source.id);
  return counts;
}

/** A held removal, as the source records it: a new one, or the one still waiting (gone once nothing removed is left). */
function held(source: SourceRecord, holds: boolean, removedCount: number): Pick<SourceRecord, 'removalHeld'> {
  if (holds) return { removalHeld: { count: removedCount, at: Date.now() } };
  return { removalHeld: source.removalHeld && removedCount > 0 ? source.removalHeld : undefined };
}

function finished(source: SourceRecord, job: JobRecord, fields: Partial<SourceRecord>): SourceRecord {
  return {
    ...source,
    ...fields,
    commitSha: job.commitSha || source.commitSha,
    configSha: job.configSha ?? source.configSha,
    site: job.site === undefined ? source.site : job.site,
    importedAt: Date.now(),
  };
}

/** Walks a job's staged rows in primary-key order, a chunk at a time, inside the caller's transaction. */
function eachStaged<T extends { stageKey: string }, Insert>(table: Table<T, string, Insert>, jobId: string, visit: (rows: T[]) => Promise<void>): Promise<void> {
  return eachUnderPrefix(table, `${jobId}|`, CHUNK, (row) => row.stageKey, visit);
}

function unstagePost({ stageKey: _s, jobId: _j, ...post }: StagedPost): PostRecord {
  return post;
}
function unstageFile({ stageKey: _s, jobId: _j, ...file }: StagedFile): FileEntry {
  return file;
}

/** An incremental sync: removals, moves and the staged (new or changed) files are applied to the current generation. */
export function commitIncremental(db: ArchiveDb, job: JobRecord, source: SourceRecord, signal?: AbortSignal): Promise<SyncCounts> {
  return writing(() => commitIncrementalNow(db, job, source, signal));
}

async function commitIncrementalNow(db: ArchiveDb, job: JobRecord, source: SourceRecord, signal?: AbortSignal): Promise<SyncCounts> {
  const gen = source.gen ?? 0;
  const { counts, rebuild } = await db.transaction('rw', [db.posts, db.files, db.staged, db.stagedFiles, db.sources, db.jobs], async () => {
    stillWanted(await db.sources.get(source.id), signal);
    const counts: SyncCounts = { added: 0, changed: 0, removed: 0, moved: 0 };
    const dropped = new Set<string>();
    const files = await FileSet.read(db, source.id, gen);

    // Posts written or deleted here: the search index answers for them no more (db/search-index.ts).
    const touched = new Set<string>();
    // Posts whose last file went away: kept, marked (db/removed.ts), unless a file brings them back below.
    const at = Date.now();
    const marked = new Set<string>();
    // `edited`: the path still holds a post, perhaps another one (an edit changes a post's id): that is no removal.
    const setPaths = async (postKey: string, change: (paths: string[]) => string[], edited = false) => {
      touched.add(postKey);
      const post = await db.posts.get(postKey);
      if (!post || post.removedAt !== undefined) return;
      const paths = [...new Set(change(post.paths))];
      if (paths.length === 0 && edited) await db.posts.delete(postKey);
      else if (paths.length === 0) {
        marked.add(postKey);
        await db.posts.put(markRemoved(post, at, source.commitSha));
      } else await db.posts.put({ ...post, paths: sortPaths(paths), path: preferredPath(paths) });
    };
    const postOf = (file: FileEntry) => (file.postId === null ? null : postKey(source.id, gen, file.postId));
    /** Lets go of a path's file: false when there was none, else the key of its post (null when it held none). */
    const detach = (path: string): string | null | false => {
      const file = files.delete(path);
      if (!file) return false;
      dropped.add(path);
      return postOf(file);
    };
    const without = (path: string) => (paths: string[]) => paths.filter((p) => p !== path);

    // Only database requests are awaited in here: awaiting an async function that awaited none
    // left Dexie's transaction zone, and the rest of the commit ran outside its transaction (not
    // atomic; Dexie then failed it as committed too early).
    for (const path of job.remove) {
      const post = detach(path);
      if (post === false) continue;
      counts.removed++;
      if (post) await setPaths(post, without(path));
    }

    for (const move of job.moves) {
      // A copy names where its content is; a job planned before copies did is searched by sha.
      const from = move.from || move.copyOf ? files.get(move.from || move.copyOf!) : files.withSha(move.sha);
      if (!from) continue;
      if (move.from) {
        files.delete(move.from);
        dropped.add(move.from);
      }
      files.set({ ...from, path: move.to });
      const post = postOf(from);
      if (post) await setPaths(post, (paths) => [...paths.filter((p) => p !== move.from), move.to]);
      counts.moved++;
    }

    const failures: FailureRecord[] = [];
    await eachStaged(db.stagedFiles, job.id, async (rows) => {
      for (const row of rows) {
        const post = detach(row.path);
        if (post === false) counts.added++;
        else {
          counts.changed++;
          if (post) await setPaths(post, without(row.path), true);
        }
        if (row.failure) failures.push(row.failure);
        dropped.add(row.path);
        files.set(unstageFile(row));
      }
    });
    await files.write(db);
    await eachStaged(db.staged, job.id, async (rows) => {
      for (const row of rows) touched.add(row.key);
      const existing = await db.posts.bulkGet(rows.map((r) => r.key));
      await db.posts.bulkPut(
        rows.map((row, i) => {
          const post = unstagePost(row);
          const had = existing[i];
          // A removed post that comes back is an ordinary post again, at its new paths only.
          if (!had || had.removedAt !== undefined) return post;
          // The copy at the preferred path speaks for the post (see mergeTwin):
          // an edit of that file replaces tags and author even when a twin remains.
          const paths = sortPaths([...new Set([...had.paths, ...post.paths])]);
          const base = post.paths.includes(paths[0]!) ? post : had;
          return { ...base, paths, path: paths[0]! };
        }),
      );
    });

    // Failures of files that changed or went away are replaced by this sync's.
    const listed = source.failures ?? [];
    const kept = listed.filter((f) => !dropped.has(f.path));
    // This sync's failures first: the list is cut at MAX_FAILURES_KEPT, and new ones are what the reader needs to see.
    const all = [...failures, ...kept];
    // Failures past the kept list (MAX_FAILURES_KEPT) are not named, so they still count: the count
    // never shrinks because the list was cut (a full sync counts them all again).
    const unlisted = Math.max(0, (source.failureCount ?? listed.length) - listed.length);
    await db.staged.where('jobId').equals(job.id).delete();
    await db.stagedFiles.where('jobId').equals(job.id).delete();
    await db.jobs.delete(job.id);
    const current = stillWanted(await db.sources.get(source.id), signal);
    // What this sync found gone and nothing brought back.
    const gone = marked.size === 0 ? [] : (await db.posts.bulkGet([...marked])).filter((p): p is PostRecord => p?.removedAt === at);
    const stillThere = Math.max(0, current.postCount - (current.removedCount ?? 0));
    const holds = mustHold(current, gone.length, stillThere);
    if (current.mirrorRemovals && !holds) await db.posts.bulkDelete(gone.map((p) => p.key));
    else counts.kept = gone.length;
    const postCount = await db.posts.where('[sourceId+gen]').equals([source.id, gen]).count();
    const removedCount = await countRemoved(db, source.id, gen);
    const searchIndex = hasIndex(current)
      ? { ...current.searchIndex, changed: [...new Set([...current.searchIndex.changed, ...touched])] }
      : current.searchIndex;
    await db.sources.put(finished(current, job, { postCount, failures: all.slice(0, MAX_FAILURES_KEPT), failureCount: all.length + unlisted, searchIndex, removedCount, ...held(current, holds, removedCount) }));
    return { counts, rebuild: !hasIndex(current) || searchIndex!.changed.length > REBUILD_AFTER };
  });
  // No index yet (an archive from before it), or many changes since it was built: build it (the old one answers meanwhile).
  if (rebuild) await ensureSearchIndex(db, source.id);
  return counts;
}
