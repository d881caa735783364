// Generations of a source's rows. A full sync (first sync, tarball, file,
// bundle) writes a new generation beside the visible one; lookups only show
// a source's current generation. Every generation but the visible one
// belongs to exactly one job (generations are never reused, see
// nextGeneration), the visible one to the source; nothing here ever deletes
// the visible generation. Old generations go in chunks, each chunk its own
// short transaction.
import { forgetCachedPacks } from './post-store';
import type { ArchiveDb, SourceRecord } from './schema';
import { dropIndexRows, hasIndex } from './search-index';
import { forgetLiveIndex, type JobRef } from './staging';

const CHUNK = 1000;

/** Every table whose rows belong to a generation of a source (all have a [sourceId+gen] index). */
const generationTables = (db: ArchiveDb) => [db.posts, db.files, db.searchBuckets, db.searchDocs] as const;

/** Deletes a source's rows of the generations in [from, to), a chunk at a time, each chunk its own short transaction. */
async function deleteGenerations(table: ReturnType<typeof generationTables>[number], sourceId: string, from: number, to: number): Promise<void> {
  if (from >= to) return;
  forgetCachedPacks();
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
export async function dropUnownedGenerations(db: ArchiveDb, sourceId: string, indexRows = true): Promise<void> {
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
  // In the visible generation, index rows of other builds (a rebuild's leftovers), unless the
  // caller leaves them to be dropped between readers' requests (db/commit.ts, after a merge).
  if (source && indexRows) await dropIndexRows(db, sourceId, source.gen ?? 0, hasIndex(source) ? source.searchIndex.build : null);
}

/** Throws away what a failed or cancelled job wrote; the visible archive is untouched. */
export async function discardJob(db: ArchiveDb, job: JobRef): Promise<void> {
  forgetLiveIndex(job);
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
