// The background's half of saving a full sync's batch that the sync engine's
// worker parsed (engine/saving.ts is the worker's): the posts stay there and
// the worker saves them; this thread is sent only what the live index needs
// of each (db/indexed-post.ts), and adds it once the batch is stored. A batch
// with a twin of a post an earlier batch saved is merged with the stored
// post here, as a batch parsed here is (db/staging.ts): the worker sends its
// posts back for it (125 of society's posts have a twin elsewhere in the
// tarball: 7 of its 32 batches come back).
import type { ReadFile } from '../core/read-entry';
import type { StageClock } from '../core/stages';
import type { HeldBatch } from '../engine/protocol';
import { tallyCounted } from './file-tally';
import { packNumbers } from './post-packs';
import { forgetCachedPacks } from './post-store';
import type { ArchiveDb, JobRecord } from './schema';
import type { GenerationIndex } from './search-index';

type JobRef = Pick<JobRecord, 'id' | 'sourceId' | 'mode' | 'gen'>;

export interface HeldSaving {
  clock?: StageClock | undefined;
  /** Runs once the batch's writes are sent, while the database saves them. */
  whileSaving?: (() => void) | undefined;
  /** Saves the batch in this thread (its posts sent here). */
  here: (files: ReadFile[]) => Promise<void>;
}

/** Saves a held batch of a full job into its generation and adds its posts to the job's live index. */
export async function saveHeld(db: ArchiveDb, job: JobRef, index: GenerationIndex, held: HeldBatch, saving: HeldSaving): Promise<void> {
  const started = performance.now();
  const session = index.session;
  if (held.files.some((file) => file.result.ok && index.has(file.result.id))) {
    const { posts, files } = await session.take(held.batch);
    let i = 0;
    return saving.here(held.files.map((file, k): ReadFile => {
      const { path, sha } = files[k]!;
      return file.result.ok ? { path, sha, token: file.result.token, result: { ok: true, post: posts[i++]! } } : { path, sha, result: file.result };
    }));
  }
  const written = await session.write({ dbName: db.name, sourceId: job.sourceId, gen: job.gen }, held.batch, packNumbers.last());
  packNumbers.after(written.lastPack);
  saving.whileSaving?.();
  // A full disk keeps its name across the port, so the sync says so (db/quota.ts).
  await session.saved();
  forgetCachedPacks();
  saving.clock?.add('save', performance.now() - started);
  // Only what is stored: a failed transaction adds nothing. The grams wait for drainLiveIndex.
  for (const post of written.posts) index.addSaved(post, post.token, post.pack);
  tallyCounted(job, written.files, written.failures);
  // Lists past the segment size are written out while the next batches are read.
  await index.saveSegment(db);
}
