// How a running sync saves what it reads without disturbing what the user
// sees (see db/commit.ts for the whole design): a full sync writes straight
// into its own generation of the source (db/generations.ts); an incremental
// sync stages its files in the staged tables, applied at commit. Rows are
// keyed by path and post, so a resumed sync never duplicates anything.
import { appendPosts, eachPost, getPosts, putPosts } from './post-store';
import { commitNow, putNative } from './native-put';
import { SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';
import type { ReadFile } from '../core/read-entry';
import { postKey, toRecord } from './import';
import type { Table } from 'dexie';
import { filePacks, filesOf } from './files';
import { fileEntry } from './file-packs';
import { eachUnderPrefix } from './key-range';
import type { ArchiveDb, FileEntry, JobRecord, PostRecord, StagedFile, StagedPost } from './schema';
import { GenerationIndex } from './search-index';
import { EngineSession } from '../engine/session';
import type { StageClock } from '../core/stages';
import { joinOrStart } from '../core/single-flight';
import { TextMap, TextSet } from '../core/text-keys';
import { dropFileTally, tallyFiles } from './file-tally';
import { isQuotaError } from './quota';
import { saveHeld } from './held-batch';
import type { HeldBatch } from '../engine/protocol';

const stageKey = (jobId: string, key: string) => `${jobId}|${key}`;

export type { ReadFile } from '../core/read-entry';

export type JobRef = Pick<JobRecord, 'id' | 'sourceId' | 'mode' | 'gen'>;


/** A full disk (or the browser's quota for the extension) as the user should hear of it. */
export function storageFull(): SyncError {
  return new SyncError('storage-full', userMessage('storageFull'));
}

export { isQuotaError } from './quota';

/** Runs a write; a full disk becomes a permanent SyncError, so it is never retried as if the network failed. */
export async function writing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isQuotaError(error) ? storageFull() : error;
  }
}

/** Checked with each batch a sync saves (set by the background: the reader's storage limit). */
let storageCheck: (() => Promise<void>) | null = null;

/** Sets what every sync checks as it saves batches; it throws (a SyncError) to stop the sync. */
export function guardStorage(check: (() => Promise<void>) | null): void {
  storageCheck = check;
  storageChecks.clear();
}

/** A storage check under way for a job: its answer, whether it is in, and how many batches went on without it. */
interface StorageCheck {
  answer: Promise<void>;
  settled: boolean;
  batches: number;
}

/** Each job's last storage check (kept by job id: one small record a source). */
const storageChecks = new Map<string, StorageCheck>();

/**
 * Batches a job saves while its last storage check has not answered, before
 * it waits for it. The browser's estimate is an IPC that waits behind the
 * database's work: 40 ms a batch, 10 s of a 122,000-post sync when every
 * batch waited for a check of its own, and still 3–4 s (of a 40 s sync in
 * Chromium) when each waited for the one its batch before had started. A
 * sync passes the reader's limit by at most this many batches more (about
 * 2,000 posts, a few megabytes, against a limit in gigabytes).
 */
export const CHECK_AHEAD = 4;

function startCheck(job: JobRef, check: () => Promise<void>): StorageCheck {
  const started: StorageCheck = { answer: check(), settled: false, batches: 0 };
  started.answer.then(
    () => (started.settled = true),
    () => (started.settled = true),
  );
  storageChecks.set(job.id, started);
  return started;
}

/**
 * Checks the storage limit for a job's next batch. The first batch a source
 * saves in this worker waits for its own check; each later one goes on while
 * the last check is out, up to CHECK_AHEAD batches, and once it is in (or
 * that many batches went) waits for its answer and starts the next. A check
 * that failed stops the sync (a failed sync leaves the archive as it was) and
 * is asked again by the next sync.
 */
async function checkStorage(job: JobRef): Promise<void> {
  const check = storageCheck;
  if (!check) return;
  const last = storageChecks.get(job.id) ?? startCheck(job, check);
  if (last.batches > 0 && !last.settled && last.batches < CHECK_AHEAD) {
    last.batches++;
    return;
  }
  try {
    await last.answer;
  } catch (error) {
    storageChecks.delete(job.id);
    throw error;
  }
  startCheck(job, check).batches = 1;
}

/** Saves a batch of read files for a job (full: into its generation; incremental: into staging). */
export async function stageBatch(db: ArchiveDb, job: JobRef, files: readonly ReadFile[], clock?: StageClock, whileSaving?: () => void): Promise<void> {
  const checking = performance.now();
  await checkStorage(job);
  clock?.add('check', performance.now() - checking);
  return writing(() => stageBatchNow(db, job, files, clock, whileSaving));
}

/** Saves a batch of a full job that its live index's engine parsed and holds (db/held-batch.ts). */
export async function stageHeld(db: ArchiveDb, job: JobRef, held: HeldBatch, clock?: StageClock, whileSaving?: () => void): Promise<void> {
  const checking = performance.now();
  await checkStorage(job);
  clock?.add('check', performance.now() - checking);
  return writing(async () => saveHeld(db, job, await liveIndexOf(db, job), held, { clock, whileSaving, here: (read) => stageBatchNow(db, job, read, clock, whileSaving) }));
}

/**
 * The search index of each running full sync, fed with the posts it writes
 * so the index costs no second read of the archive, keyed by job and
 * generation. It also says which pack holds each post the job wrote: the
 * job's packs are in no index of the database until the commit writes the
 * generation's directory from it (db/post-directory.ts).
 */
const liveIndexes = new Map<string, GenerationIndex>();
/** Live indexes being built from what a resumed job had stored. */
const building = new Map<string, Promise<GenerationIndex>>();
/** The build each of those is (forgetLiveIndex drops it: that build, when it ends, keeps nothing). */
const builds = new Map<string, object>();
const liveKey = (job: JobRef) => `${job.id}|${job.gen}`;

/**
 * The live index of a full job: the one it has, or one built from the posts
 * it stored before (a job resumed by a worker that started again, or a commit
 * tried again), read once. Call it outside any transaction.
 */
export function liveIndexOf(db: ArchiveDb, job: JobRef, check: () => void = () => {}): Promise<GenerationIndex> {
  const key = liveKey(job);
  const index = liveIndexes.get(key);
  if (index) return Promise.resolve(index);
  return joinOrStart(building, key, async () => {
    const build = {};
    builds.set(key, build);
    try {
      const built = await indexOfStored(db, job, check);
      if (builds.get(key) !== build) {
        // The job went while its index was being built (cancelled, failed, or its
        // engine stopped): kept, the index and its engine session would stay until
        // the worker stops. Only a job whose engine stopped goes on, and asks again.
        built.close();
        throw new SyncError('other', userMessage('syncEngineStopped'), true);
      }
      liveIndexes.set(key, built);
      return built;
    } finally {
      if (builds.get(key) === build) builds.delete(key);
    }
  });
}

/** `check` throws to stop (a cancelled sync). */
async function indexOfStored(db: ArchiveDb, job: JobRef, check: () => void): Promise<GenerationIndex> {
  const index = new GenerationIndex({ sourceId: job.sourceId, gen: job.gen });
  try {
    await eachPost(db, job.sourceId, job.gen, async (posts, packs) => {
      check();
      posts.forEach((post, i) => index.add(post, undefined, packs[i]));
      index.drain();
      await index.saveSegment(db);
    });
    return index;
  } catch (error) {
    index.close();
    throw error;
  }
}

/**
 * Indexes the grams of the posts a full job has saved so far (GenerationIndex.drain):
 * the BatchWriter calls it while the database saves the next batch.
 */
export function drainLiveIndex(job: JobRef, clock?: StageClock): void {
  const index = liveIndexes.get(liveKey(job));
  if (!index) return;
  const started = performance.now();
  index.drain();
  clock?.add('index', performance.now() - started);
}

/** Live indexes held (tests: a commit lets its own go before its merge, db/commit.ts writeLiveIndex). */
export const liveIndexCount = (): number => liveIndexes.size;

/** A job that goes (failed, cancelled, committed) leaves no index behind. */
export function forgetLiveIndex(job: JobRef): void {
  const key = liveKey(job);
  // Its writes may go on in another thread or background, uncounted here (db/file-tally.ts).
  dropFileTally(job);
  liveIndexes.get(key)?.close();
  liveIndexes.delete(key);
  // A build under way is dropped too: the next to ask starts one afresh.
  builds.delete(key);
  building.delete(key);
}

/**
 * The engine session to parse a job's files with (engine): a full job's live
 * index's, so the posts' fields stay in the engine until they are indexed, or
 * one of its own (`indexes` false; the caller closes it) for an incremental job.
 */
export async function jobEngine(db: ArchiveDb, job: JobRef): Promise<{ session: EngineSession; indexes: boolean }> {
  if (job.mode !== 'full') return { session: new EngineSession(), indexes: false };
  return { session: (await liveIndexOf(db, job)).session, indexes: true };
}

/** `whileSaving` runs once the batch's writes are sent, while the database saves them. */
async function stageBatchNow(db: ArchiveDb, job: JobRef, files: readonly ReadFile[], clock?: StageClock, whileSaving?: () => void): Promise<void> {
  const started = performance.now();
  // A path read twice (a hand-made tar may hold one twice) counts as its last copy. Paths and
  // keys are looked up in TextMaps, not Maps: Firefox would keep each one as an atom (core/text-keys.ts).
  const entries = [...new TextMap(files.map((f) => [f.path, fileEntry(f)])).values()];
  const ids = [...new TextSet(entries.flatMap((e) => (e.postId === null ? [] : [e.postId])))];
  const keys = ids.map((id) => postKey(job.sourceId, job.gen, id));
  if (job.mode === 'full') {
    const index = await liveIndexOf(db, job);
    // The generation holds only what this job wrote, which its live index
    // knows, pack and all: only a twin of a post of an earlier batch is read
    // back (a get per post was half the requests of a large sync).
    const stored: string[] = [];
    const where = new TextMap<string>();
    for (const id of ids) {
      if (!index.has(id)) continue;
      const key = postKey(job.sourceId, job.gen, id);
      stored.push(key);
      const pack = index.packOf(id);
      if (pack) where.set(key, pack);
    }
    // For each post, the token of the parsed file whose fields it holds (engine/protocol.ts).
    const tokens = new TextMap<number>();
    // For each post, the pack it was saved in: the index keeps it, and a search reads packs by key.
    const placed = new TextMap<string>();
    const written = await db.transaction('rw', db.posts, db.files, async () => {
      const posts = new TextMap<PostRecord>();
      if (stored.length) for (const row of await getPosts(db, stored, stored.map((key) => where.get(key)))) if (row) posts.set(row.key, row);
      // Posts stored by an earlier batch are rewritten in their packs; the rest make new packs.
      const earlier = new TextSet(posts.keys());
      for (const file of files) {
        if (!file.result.ok) continue;
        const key = postKey(job.sourceId, job.gen, file.result.post.id);
        const record = toRecord(job.sourceId, job.gen, file.result.post, posts.get(key));
        posts.set(key, record);
        // The record says what its preferred copy says: this file's, which the engine knows by its token, or a twin's.
        if (record.path === file.result.post.path && file.token !== undefined) tokens.set(key, file.token);
        else if (record.path === file.result.post.path) tokens.delete(key);
      }
      const all = [...posts.values()];
      // Sent one after another; a write that throws at once (a full disk, a value that cannot be
      // stored) leaves none of the others' failures unhandled: the transaction fails with it.
      const sent: Promise<unknown>[] = [];
      try {
        sent.push(putPosts(db, all.filter((p) => earlier.has(p.key)), placed, where, true));
        // Found later through the generation's directory, which the commit writes from the live index.
        sent.push(appendPosts(db, all.filter((p) => !earlier.has(p.key)), placed, true));
        sent.push(Promise.resolve(putNative(db.files, filePacks(job.sourceId, job.gen, entries))));
      } catch (error) {
        for (const write of sent) write.catch(() => {});
        throw error;
      }
      // Every request is sent (a rewrite reads its packs first and sends its own later): the
      // database commits when it has done them, not when this thread is back from indexing.
      if (earlier.size === 0) commitNow();
      const saved = Promise.all(sent);
      // The requests are on their way: the worker's own work fills the wait.
      whileSaving?.();
      await saved;
      return all;
    });
    clock?.add('save', performance.now() - started);
    // Only what is stored: a failed transaction adds nothing. The grams wait for drainLiveIndex.
    for (const post of written) index.add(post, tokens.get(post.key), placed.get(post.key));
    tallyFiles(job, entries);
    // Lists past the segment size are written out while the next batches are read.
    await index.saveSegment(db);
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
    private readonly clock?: StageClock,
  ) {}

  /**
   * Waits until the previous batch is saved (throwing its error), then starts
   * saving this one, and indexes what was saved before while the database saves it.
   */
  async write(batch: { read: readonly ReadFile[] } | { held: HeldBatch }): Promise<void> {
    await this.last;
    const whileSaving = () => drainLiveIndex(this.job, this.clock);
    if ('held' in batch) {
      if (batch.held.files.length === 0) return;
      this.last = stageHeld(this.db, this.job, batch.held, this.clock, whileSaving);
    } else {
      if (batch.read.length === 0) return;
      this.last = stageBatch(this.db, this.job, batch.read, this.clock, whileSaving);
    }
    // Surfaced by the next write() or by done(); never an unhandled rejection meanwhile.
    this.last.catch(() => {});
  }

  /** Resolves when every batch is saved and indexed; rejects with the first failure. */
  async done(): Promise<void> {
    await this.last;
    drainLiveIndex(this.job, this.clock);
  }

  /** The error of the batch being saved, if it failed: it explains a failure better than what followed it. */
  async failure(): Promise<unknown> {
    return this.last.then(() => null, (error: unknown) => error);
  }
}

/** Paths a job has already saved: a resumed sync skips them. */
export async function stagedPaths(db: ArchiveDb, job: JobRef): Promise<TextSet> {
  if (job.mode === 'full') return new TextSet((await filesOf(db, job.sourceId, job.gen)).keys());
  return new TextSet((await db.stagedFiles.where('jobId').equals(job.id).toArray()).map((r) => r.path));
}

const CHUNK = 1000;

/** Walks a job's staged rows in primary-key order, a chunk at a time, inside the caller's transaction. */
export function eachStaged<T extends { stageKey: string }, Insert>(table: Table<T, string, Insert>, jobId: string, visit: (rows: T[]) => Promise<void>): Promise<void> {
  return eachUnderPrefix(table, `${jobId}|`, CHUNK, (row) => row.stageKey, visit);
}

export function unstagePost({ stageKey: _s, jobId: _j, ...post }: StagedPost): PostRecord {
  return post;
}
export function unstageFile({ stageKey: _s, jobId: _j, ...file }: StagedFile): FileEntry {
  return file;
}
