// What a first full sync wrote of its generation's files, counted as it
// writes them, so that its commit need not read every file back (db/commit.ts).
//
// A commit counts the files new, changed and removed against the generation
// before, and gathers the failures. A first sync has no generation before:
// reading its files back (path, sha and post id of each, in packs) only to
// count them made 489,000 objects and strings at once at society ×32, Chinese
// paths most of its bytes, as the sync's peak came (1.0 s of its commit).
//
// A tally is begun only by a job that has written nothing yet, and kept only
// while every write of the job goes through stageBatch in this background:
// a job resumed by another background, or whose tally went with its live
// index (db/staging.ts forgetLiveIndex), reads its files back as before.
import type { FailureRecord, FileEntry, JobRecord } from './schema';

/** A job, as far as its tally goes (db/staging.ts's JobRef is wider). */
type JobRef = Pick<JobRecord, 'id' | 'gen'>;

/** Failures a source keeps (the rest are counted): the same cut as the commit's. */
export const MAX_FAILURES_KEPT = 5000;

export interface FileTally {
  /** Every file entry written, as the packs hold them (a path written twice counts twice, as a walk of the packs counts it). */
  files: number;
  /** The first MAX_FAILURES_KEPT failures, in the order written. */
  failures: FailureRecord[];
  failureCount: number;
}

const tallies = new Map<string, FileTally>();
const keyOf = (job: JobRef) => `${job.id}|${job.gen}`;

/** Begins the tally of a job that has written none of its files. */
export function beginFileTally(job: JobRef): void {
  tallies.set(keyOf(job), { files: 0, failures: [], failureCount: 0 });
}

/** Counts file entries the job has just stored (after their transaction committed). */
export function tallyFiles(job: JobRef, entries: readonly FileEntry[]): void {
  tallyCounted(job, entries.length, entries.flatMap((entry) => (entry.failure ? [entry.failure] : [])));
}

/** Counts `files` entries the job has just stored, of them these `failures` (the sync engine saved them: db/held-batch.ts). */
export function tallyCounted(job: JobRef, files: number, failures: readonly FailureRecord[]): void {
  const tally = tallies.get(keyOf(job));
  if (!tally) return;
  tally.files += files;
  for (const failure of failures) {
    tally.failureCount++;
    if (tally.failures.length < MAX_FAILURES_KEPT) tally.failures.push(failure);
  }
}

/** The job's tally, when every file it stored was counted in it. */
export function fileTallyOf(job: JobRef): FileTally | undefined {
  return tallies.get(keyOf(job));
}

/** A job that goes, or whose writes may go on elsewhere, keeps no tally. */
export function dropFileTally(job: JobRef): void {
  tallies.delete(keyOf(job));
}
