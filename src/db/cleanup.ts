// What interrupted work leaves behind, cleared when the background starts.
// Each source is cleaned holding its lock, and only if nobody holds it: a
// sync or an import that is running (in the background or in an open options
// page) is never touched, and one that starts meanwhile waits for the lock.
import { ifSourceFree } from './locks';
import type { ArchiveDb } from './schema';
import { discardJob, dropUnownedGenerations } from './generations';

export async function cleanUpLeftovers(db: ArchiveDb): Promise<void> {
  const ids = new Set([...(await db.sources.toArray()).map((s) => s.id), ...(await db.jobs.toArray()).map((j) => j.sourceId)]);
  for (const sourceId of ids) {
    await ifSourceFree(sourceId, async () => {
      const source = await db.sources.get(sourceId);
      for (const job of await db.jobs.where('sourceId').equals(sourceId).toArray()) {
        // A page's import whose lock is free was abandoned with its page; a
        // background job of a source that still exists is resumed instead.
        if (job.local || !source) await discardJob(db, job);
      }
      if (source) await dropUnownedGenerations(db, sourceId);
    });
  }
}
