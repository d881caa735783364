// The background's half of saving a full sync's batch that the sync engine's
// worker parsed (engine/saving.ts is the worker's): the posts stay there and
// the worker saves them; this thread is sent only what the live index needs
// of each (db/indexed-post.ts), and adds it once the batch is stored. A twin
// of a post an earlier batch saved is merged with the stored post here, as a
// batch parsed here is (db/staging.ts): the worker saves the rest of its
// batch and sends the twin back (125 of society's posts have a twin
// elsewhere in the tarball, in 7 of its 32 batches). Until December 2026 the
// whole batch came back, text and all: at society ×32 that was 224 batches of
// 500 posts through the background page, most of its two-byte strings (the
// posts' Chinese text) as a large sync committed in Firefox.
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
  // Twins of posts saved before are merged with them here; the worker saves the rest.
  const twins = held.files.flatMap(({ result }, place) => (result.ok && index.has(result.id) ? [{ place, token: result.token }] : []));
  if (twins.length < held.files.length) await saveThere(db, job, index, held.batch, twins.map((twin) => twin.place), saving);
  if (twins.length === 0) return;
  // Each twin's post and entry come back in its place.
  const { posts, files } = await index.session.take(held.batch);
  return saving.here(twins.map(({ token }, t): ReadFile => ({ path: files[t]!.path, sha: files[t]!.sha, token, result: { ok: true, post: posts[t]! } })));
}

/** Has the worker save a held batch but for the files at places `leave`, and adds what it saved to the live index. */
async function saveThere(db: ArchiveDb, job: JobRef, index: GenerationIndex, batch: number, leave: number[], saving: HeldSaving): Promise<void> {
  const started = performance.now();
  const session = index.session;
  const written = await session.write({ dbName: db.name, sourceId: job.sourceId, gen: job.gen }, batch, packNumbers.last(), leave);
  packNumbers.after(written.lastPack);
  saving.whileSaving?.();
  // A full disk keeps its name across the port, so the sync says so (db/quota.ts).
  await session.saved();
  forgetCachedPacks();
  saving.clock?.add('save', performance.now() - started);
  // Only what is stored: a failed transaction adds nothing. The grams wait for drainLiveIndex.
  index.addSaved(written.posts);
  tallyCounted(job, written.files, written.failures);
  // Lists past the segment size are written out while the next batches are read.
  await index.saveSegment(db);
}
