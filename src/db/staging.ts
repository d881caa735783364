// A running sync writes what it reads into a staging area, invisible to
// lookups. Only when the sync completes does one transaction make it the
// source's archive; a failed or cancelled sync is discarded and the archive
// the user had stays whole. Staged rows are keyed by path and post, so a
// resumed sync never duplicates anything.
import type { ParseResult } from '../core/post';
import { preferredPath } from '../core/twins';
import { toRecord } from './import';
import type { ArchiveDb, FailureRecord, FileRecord, JobRecord, PostRecord, SourceRecord, StagedFile, StagedPost } from './schema';

export const fileKey = (sourceId: string, path: string) => `${sourceId}|${path}`;
const stageKey = (jobId: string, key: string) => `${jobId}|${key}`;

export interface ReadFile {
  path: string;
  sha: string;
  result: ParseResult;
}

export async function stageBatch(db: ArchiveDb, job: Pick<JobRecord, 'id' | 'sourceId'>, files: readonly ReadFile[]): Promise<void> {
  await db.transaction('rw', db.staged, db.stagedFiles, async () => {
    const posts = new Map<string, StagedPost>();
    const keys = [...new Set(files.flatMap((f) => (f.result.ok ? [stageKey(job.id, `${job.sourceId}|${f.result.post.id}`)] : [])))];
    for (const row of await db.staged.bulkGet(keys)) if (row) posts.set(row.stageKey, row);
    const stagedFiles: StagedFile[] = [];
    for (const file of files) {
      const base = { key: fileKey(job.sourceId, file.path), sourceId: job.sourceId, path: file.path, sha: file.sha };
      const sk = stageKey(job.id, file.path);
      if (!file.result.ok) {
        const { reason, message } = file.result.error;
        stagedFiles.push({ ...base, postKey: null, stageKey: sk, jobId: job.id, failure: { path: file.path, reason, message } });
        continue;
      }
      const record = toRecord(job.sourceId, file.result.post);
      const psk = stageKey(job.id, record.key);
      const merged = toRecord(job.sourceId, file.result.post, posts.get(psk));
      posts.set(psk, { ...merged, stageKey: psk, jobId: job.id });
      stagedFiles.push({ ...base, postKey: record.key, stageKey: sk, jobId: job.id });
    }
    await db.staged.bulkPut([...posts.values()]);
    await db.stagedFiles.bulkPut(stagedFiles);
  });
}

/** Paths a job has already read: a resumed sync skips them. */
export async function stagedPaths(db: ArchiveDb, jobId: string): Promise<Set<string>> {
  const rows = await db.stagedFiles.where('jobId').equals(jobId).toArray();
  return new Set(rows.map((r) => r.path));
}

export async function discardJob(db: ArchiveDb, jobId: string): Promise<void> {
  await db.transaction('rw', db.staged, db.stagedFiles, db.jobs, async () => {
    await db.staged.where('jobId').equals(jobId).delete();
    await db.stagedFiles.where('jobId').equals(jobId).delete();
    await db.jobs.delete(jobId);
  });
}

const CHUNK = 1000;

/** Walks a job's staged rows in primary-key order, a chunk at a time, inside the caller's transaction. */
async function eachStaged<T extends { stageKey: string }>(
  table: ArchiveDb['staged'] | ArchiveDb['stagedFiles'],
  jobId: string,
  visit: (rows: T[]) => Promise<void>,
): Promise<void> {
  let lower = `${jobId}|`;
  const upper = `${jobId}|\uffff`;
  let inclusive = true;
  for (;;) {
    const rows = (await table.where('stageKey').between(lower, upper, inclusive, true).limit(CHUNK).toArray()) as unknown as T[];
    if (rows.length === 0) return;
    await visit(rows);
    lower = rows[rows.length - 1]!.stageKey;
    inclusive = false;
  }
}

function unstagePost({ stageKey: _s, jobId: _j, ...post }: StagedPost): PostRecord {
  return post;
}
function unstageFile({ stageKey: _s, jobId: _j, failure: _f, ...file }: StagedFile): FileRecord {
  return file;
}

export interface SyncCounts {
  added: number;
  changed: number;
  removed: number;
  moved: number;
}

const MAX_FAILURES_KEPT = 5000;

/** A full sync: the staged files become the whole of the source. */
export async function commitFull(db: ArchiveDb, job: JobRecord, source: SourceRecord): Promise<SyncCounts> {
  return db.transaction('rw', [db.posts, db.files, db.staged, db.stagedFiles, db.sources, db.jobs], async () => {
    const before = new Map((await db.files.where('sourceId').equals(source.id).toArray()).map((f) => [f.path, f.sha]));
    await db.posts.where('sourceId').equals(source.id).delete();
    await db.files.where('sourceId').equals(source.id).delete();
    await eachStaged<StagedPost>(db.staged, job.id, async (rows) => {
      await db.posts.bulkPut(rows.map(unstagePost));
    });
    const failures: FailureRecord[] = [];
    const counts: SyncCounts = { added: 0, changed: 0, removed: 0, moved: 0 };
    const seen = new Set<string>();
    await eachStaged<StagedFile>(db.stagedFiles, job.id, async (rows) => {
      for (const row of rows) {
        seen.add(row.path);
        if (row.failure && failures.length < MAX_FAILURES_KEPT) failures.push(row.failure);
        const had = before.get(row.path);
        if (had === undefined) counts.added++;
        else if (had !== row.sha) counts.changed++;
      }
      await db.files.bulkPut(rows.map(unstageFile));
    });
    counts.removed = [...before.keys()].filter((p) => !seen.has(p)).length;
    await finish(db, job, source, failures);
    return counts;
  });
}

/** An incremental sync: removals, moves and the staged (new or changed) files are applied to what is stored. */
export async function commitIncremental(db: ArchiveDb, job: JobRecord, source: SourceRecord): Promise<SyncCounts> {
  return db.transaction('rw', [db.posts, db.files, db.staged, db.stagedFiles, db.sources, db.jobs], async () => {
    const counts: SyncCounts = { added: 0, changed: 0, removed: 0, moved: 0 };
    const dropped = new Set<string>();

    const setPaths = async (postKey: string, change: (paths: string[]) => string[]) => {
      const post = await db.posts.get(postKey);
      if (!post) return;
      const paths = [...new Set(change(post.paths))];
      if (paths.length === 0) await db.posts.delete(postKey);
      else await db.posts.put({ ...post, paths: [...paths].sort((a, b) => (preferredPath([a, b]) === a ? -1 : 1)), path: preferredPath(paths) });
    };
    const detach = async (path: string) => {
      const file = await db.files.get(fileKey(source.id, path));
      if (!file) return false;
      await db.files.delete(file.key);
      if (file.postKey) await setPaths(file.postKey, (paths) => paths.filter((p) => p !== path));
      dropped.add(path);
      return true;
    };

    for (const path of job.remove) if (await detach(path)) counts.removed++;

    for (const move of job.moves) {
      const from = move.from
        ? await db.files.get(fileKey(source.id, move.from))
        : await db.files.where('[sourceId+sha]').equals([source.id, move.sha]).first();
      if (!from) continue;
      if (move.from) {
        await db.files.delete(from.key);
        dropped.add(move.from);
      }
      await db.files.put({ ...from, key: fileKey(source.id, move.to), path: move.to });
      if (from.postKey) {
        await setPaths(from.postKey, (paths) => [...paths.filter((p) => p !== move.from), move.to]);
      }
      counts.moved++;
    }

    const failures: FailureRecord[] = [];
    await eachStaged<StagedFile>(db.stagedFiles, job.id, async (rows) => {
      for (const row of rows) {
        if (await detach(row.path)) counts.changed++;
        else counts.added++;
        if (row.failure) failures.push(row.failure);
        dropped.add(row.path);
      }
      await db.files.bulkPut(rows.map(unstageFile));
    });
    await eachStaged<StagedPost>(db.staged, job.id, async (rows) => {
      const existing = await db.posts.bulkGet(rows.map((r) => r.key));
      await db.posts.bulkPut(
        rows.map((row, i) => {
          const post = unstagePost(row);
          const had = existing[i];
          if (!had) return post;
          const paths = [...new Set([...had.paths, ...post.paths])];
          return { ...had, paths, path: preferredPath(paths) };
        }),
      );
    });

    // Failures of files that changed or went away are replaced by this sync's.
    const kept = (source.failures ?? []).filter((f) => !dropped.has(f.path));
    await finish(db, job, source, [...kept, ...failures].slice(0, MAX_FAILURES_KEPT));
    return counts;
  });
}

async function finish(db: ArchiveDb, job: JobRecord, source: SourceRecord, failures: FailureRecord[]): Promise<void> {
  await db.staged.where('jobId').equals(job.id).delete();
  await db.stagedFiles.where('jobId').equals(job.id).delete();
  await db.jobs.delete(job.id);
  const postCount = await db.posts.where('sourceId').equals(source.id).count();
  const failureCount = failures.length;
  await db.sources.put({
    ...source,
    postCount,
    failureCount,
    failures,
    commitSha: job.commitSha,
    configSha: job.configSha ?? source.configSha,
    site: job.site === undefined ? source.site : job.site,
    importedAt: Date.now(),
  });
}
