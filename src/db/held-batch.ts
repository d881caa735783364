// The background's half of saving a full sync's batch that the sync engine's
// worker parsed (engine/saving.ts is the worker's): the posts stay there and
// the worker saves them; this thread is sent only what the live index needs
// of each (db/indexed-post.ts), and adds it once the batch is stored. A batch
// with a twin of a post an earlier batch saved is merged with the stored
// post here, as a batch parsed here is (db/staging.ts): the worker sends its
// posts back for it (society has a few dozen such twins in 15,000 posts).
import type { ReadFile } from '../core/read-entry';
import type { StageClock } from '../core/stages';
import { TextMap } from '../core/text-keys';
import type { HeldFile } from '../engine/protocol';
import { tallyFiles } from './file-tally';
import { packNumbers } from './post-packs';
import { forgetCachedPacks } from './post-store';
import type { ArchiveDb, FileEntry, JobRecord } from './schema';
import type { GenerationIndex } from './search-index';

type JobRef = Pick<JobRecord, 'id' | 'sourceId' | 'mode' | 'gen'>;

export interface HeldSaving {
  clock?: StageClock | undefined;
  /** Runs once the batch's writes are sent, while the database saves them. */
  whileSaving?: (() => void) | undefined;
  /** Saves the batch in this thread (its posts sent here). */
  here: (files: ReadFile[]) => Promise<void>;
}

/** The file's record in its generation's file packs. */
export function heldEntry(file: HeldFile): FileEntry {
  if (file.result.ok) return { path: file.path, sha: file.sha, postId: file.result.id };
  const { reason, message } = file.result.error;
  return { path: file.path, sha: file.sha, postId: null, failure: { path: file.path, reason, message } };
}

/** Saves a held batch of a full job into its generation and adds its posts to the job's live index. */
export async function saveHeld(db: ArchiveDb, job: JobRef, index: GenerationIndex, files: readonly HeldFile[], saving: HeldSaving): Promise<void> {
  const started = performance.now();
  const session = index.session;
  const tokens: number[] = [];
  for (const file of files) if (file.result.ok) tokens.push(file.result.token);
  if (files.some((file) => file.result.ok && index.has(file.result.id))) {
    const { posts } = await session.take(tokens);
    let i = 0;
    return saving.here(files.map((file): ReadFile => (file.result.ok ? { path: file.path, sha: file.sha, token: file.result.token, result: { ok: true, post: posts[i++]! } } : { path: file.path, sha: file.sha, result: file.result })));
  }
  // A path read twice (a hand-made tar may hold one twice) counts as its last copy.
  const entries = [...new TextMap(files.map((file) => [file.path, heldEntry(file)])).values()];
  const written = await session.write({ dbName: db.name, sourceId: job.sourceId, gen: job.gen }, tokens, entries, packNumbers.last());
  packNumbers.after(written.lastPack);
  saving.whileSaving?.();
  // A full disk keeps its name across the port, so the sync says so (db/quota.ts).
  await session.saved();
  forgetCachedPacks();
  saving.clock?.add('save', performance.now() - started);
  // Only what is stored: a failed transaction adds nothing. The grams wait for drainLiveIndex.
  for (const post of written.posts) index.addSaved(post, post.token, post.pack);
  tallyFiles(job, entries);
  // Lists past the segment size are written out while the next batches are read.
  await index.saveSegment(db);
}
