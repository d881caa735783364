// How a sync becomes what the user sees.
//
// A full sync (first sync, tarball, file, bundle) has written a new
// generation of the source's posts and files beside the visible one
// (db/staging.ts, db/generations.ts); completing it switches the source to
// the new generation in one small transaction, then drops the old one in
// chunks. Nothing is copied, so time and memory do not grow with the
// archive; a failed or cancelled sync just drops its generation.
//
// An incremental sync (a few changed files) has staged what it read; it is
// applied, with removals and moves, in one transaction.
//
// Writers hold the source's lock (db/locks.ts) while they write.
import { deletePosts, getPost, getPosts, putPosts } from './post-store';
import { SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';
import { preferredPath, sortPaths } from '../core/twins';
import { postKey } from './import';
import { eachPack, FileSet, filesOf } from './files';
import type { ArchiveDb, FailureRecord, FileEntry, JobRecord, PostRecord, SourceRecord } from './schema';
import type { TextMap } from '../core/text-keys';
import { carryRemoved, countRemoved, markRemoved, mustHold } from './removed';
import { dropIndexRows, ensureSearchIndex, hasIndex, manySegments, REBUILD_AFTER } from './search-index';
import { mergeBeforeSwitch, mergesAtCommit } from './search-merge';
import { eachStaged, forgetLiveIndex, liveIndexOf, unstageFile, unstagePost, writing } from './staging';
import { writeDirectory } from './post-directory';
import { fileTallyOf, MAX_FAILURES_KEPT } from './file-tally';
import { dropUnownedGenerations } from './generations';
import { StageClock, type Stage, type StageTimes } from '../core/stages';

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
  /** Where the sync's time went (sync/stages.ts). */
  stages?: StageTimes;
  /** Where a full sync parsed and indexed its posts: the sync engine's worker, or the background itself (engine). */
  parsedIn?: 'worker' | 'background';
}

/** A commit finds the source gone (removed meanwhile) or the sync cancelled: nothing is written. */
function stillWanted(current: SourceRecord | undefined, signal?: AbortSignal): SourceRecord {
  if (!current || signal?.aborted) throw new SyncError('cancelled', userMessage('cancelled'));
  return current;
}

/** Completes a full sync: the job's generation becomes the source. */
export async function commitFull(db: ArchiveDb, job: JobRecord, source: SourceRecord, signal?: AbortSignal, options: { create?: boolean; clock?: StageClock } = {}): Promise<SyncCounts> {
  try {
    return await writing(() => commitFullNow(db, job, source, signal, options.create === true, options.clock ?? new StageClock()));
  } finally {
    // Written or not, the live index and what its engine holds go: a commit tried again builds one from the stored posts.
    forgetLiveIndex(job);
  }
}

async function commitFullNow(db: ArchiveDb, job: JobRecord, source: SourceRecord, signal: AbortSignal | undefined, create: boolean, clock: StageClock): Promise<SyncCounts> {
  let step = performance.now();
  const lap = (stage: Stage) => {
    const now = performance.now();
    clock.add(stage, now - step);
    step = now;
  };
  const oldGen = source.gen ?? 0;
  // Paths and shas, not posts: small even for large archives.
  const before = await filesOf(db, source.id, oldGen);
  const counts: SyncCounts = { added: 0, changed: 0, removed: 0, moved: 0 };
  let failures: FailureRecord[] = [];
  let failureCount = 0;
  // A first sync that counted its files as it wrote them has nothing to compare them with: they are all new.
  const tally = before.size === 0 ? fileTallyOf(job) : undefined;
  if (tally) ({ files: counts.added, failures, failureCount } = { ...tally, failures: [...tally.failures] });
  else await eachPack(db, source.id, job.gen, (packs) => {
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
  lap('commitFiles');

  // The live index holds every post the job stored (one built from them when
  // this worker did not run the whole job): the new generation becomes visible
  // with its search index, never without.
  const cancelled = () => {
    if (signal?.aborted) throw new SyncError('cancelled', userMessage('cancelled'));
  };
  const written = await writeLiveIndex(db, job, source, before, counts, clock, lap, cancelled);
  const { stored, storedBytes, docs, videoDirectory, kept } = written;
  let { segments } = written;

  // An index of many segments is merged before the source switches to it: a query reads a row of
  // every segment for each gram, and the first searches as a ×32 sync ended (13 segments, merged
  // after the sync in 14 s) reached 31–44 ms p95; on the merged index 17–28 in most runs (the
  // slowest query decodes common grams' long lists: CPU, not its reads). Its segments' rows are dropped after the sync, between
  // readers' requests (background/sync-manager.ts).
  // Its docs row (18 MB at ×32) was not written: the merged build's replaces it.
  const merged = await mergeBeforeSwitch(db, docs, cancelled);
  const build = merged ?? written.build;
  if (merged !== null) segments = 1;
  lap('commitMerge');

  await db.transaction('rw', db.posts, db.sources, db.jobs, async () => {
    // A file import creates its source; a sync's source must still be there.
    const current = stillWanted((await db.sources.get(source.id)) ?? (create ? source : undefined), signal);
    const postCount = stored;
    const searchIndex = { gen: job.gen, build, changed: [], videos: true as const, storedBytes, ...manySegments(segments) };
    const removedCount = await countRemoved(db, source.id, job.gen);
    await db.sources.put(finished(current, job, { gen: job.gen, postCount, failures, failureCount, searchIndex, removedCount, videoDirectory, ...held(current, kept.held, removedCount) }));
    await db.jobs.delete(job.id);
  });
  lap('commitSwitch');
  // The merged segments' rows (megabytes at scale) are not deleted at once: the first searches
  // after the sync would wait for that. mergeSearchSegments drops them between readers' requests.
  await dropUnownedGenerations(db, source.id, merged === null);
  lap('commitDrop');
  return counts;
}

/**
 * The live index's part of a full sync's commit: the posts the source removed
 * carried into it, the generation's directories and the index written from
 * it. The live index is let go here, written: what it holds (40 MiB of arrays
 * at society ×32: every post's id, video, time, size) is not needed after, and
 * the merge that follows at scale takes seconds. Kept until the commit ended
 * (by the staging's map and by the commit's closures), it was half of what
 * the background held through that merge: a heap snapshot 2 s into a ×32
 * commit in Chromium held 74 MiB, 35 without it. (The process's peak, which
 * the collector's timing decides, measured the same within its noise.)
 */
async function writeLiveIndex(
  db: ArchiveDb, job: JobRecord, source: SourceRecord, before: TextMap<FileEntry>, counts: SyncCounts, clock: StageClock,
  lap: (stage: Stage) => void, cancelled: () => void,
) {
  const live = await liveIndexOf(db, job, cancelled);
  lap('commitIndex');

  // Posts the source no longer has stay, marked (db/removed.ts), in the new generation too.
  const gone = new Set([...before.values()].flatMap((f) => (f.postId === null ? [] : [f.postId])));
  // A file imported again replaces its earlier import: the reader chose that file (and was asked).
  const kept = source.kind === 'file' ? { carried: [], newlyRemoved: 0, held: false } : await carryRemoved(db, source, job.gen, gone, async (ids) => ids.map((id) => live.has(id)), Date.now());
  for (const post of kept.carried) live.add(post);
  counts.kept = kept.newlyRemoved;
  lap('commitRemoved');

  // (The live index may have written segments of its build already: those stay.)
  await dropIndexRows(db, source.id, job.gen, live.build);
  // Its count is the generation's: it holds every post stored (and only what was).
  const stored = live.posts;
  // Beside it, where each post the job wrote is, and each video: its packs are in neither index (db/post-directory.ts).
  // All run to their end before a failure of any is thrown: nothing is left writing.
  const directories = clock.time('commitDirectory', async () => {
    await writeDirectory(db, source.id, job.gen, live.placed());
    return writeDirectory(db, source.id, job.gen, live.placedVideos(), 'videos');
  });
  // An index the commit merges gives its docs row to the merge unwritten (see below).
  const [index, directory] = await Promise.allSettled([live.write(db, mergesAtCommit), directories]);
  if (index.status === 'rejected') throw index.reason;
  if (directory.status === 'rejected') throw directory.reason;
  // Written: a commit that fails from here on is tried again with one built from the stored posts, as after any failure.
  forgetLiveIndex(job);
  counts.indexMs = Math.round(live.ms);
  counts.indexWriteMs = Math.round(live.writeMs);
  clock.add('engine', live.engineMs);
  lap('commitIndex');
  const { storedBytes, segments, docs } = index.value;
  return { build: live.build, stored, storedBytes, segments, docs, videoDirectory: { gen: job.gen, rows: directory.value }, kept };
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
    // Trees of another commit would let the next walk take changed files for unchanged ones.
    trees: job.trees,
    importedAt: Date.now(),
  };
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
    // Posts stored less those deleted: the generation's count after the commit is the source's count plus this.
    let postDelta = 0;
    // Posts whose last file went away: kept, marked (db/removed.ts), unless a file brings them back below.
    const at = Date.now();
    const marked = new Set<string>();
    // `edited`: the path still holds a post, perhaps another one (an edit changes a post's id): that is no removal.
    const setPaths = async (postKey: string, change: (paths: string[]) => string[], edited = false) => {
      touched.add(postKey);
      const post = await getPost(db, postKey);
      if (!post || post.removedAt !== undefined) return;
      const paths = [...new Set(change(post.paths))];
      if (paths.length === 0 && edited) postDelta -= await deletePosts(db, [postKey]);
      else if (paths.length === 0) {
        marked.add(postKey);
        postDelta += await putPosts(db, [markRemoved(post, at, source.commitSha)]);
      } else await putPosts(db, [{ ...post, paths: sortPaths(paths), path: preferredPath(paths) }]);
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
      const existing = await getPosts(db, rows.map((r) => r.key));
      postDelta += await putPosts(db, 
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
    const gone = marked.size === 0 ? [] : (await getPosts(db, [...marked])).filter((p): p is PostRecord => p?.removedAt === at);
    const stillThere = Math.max(0, current.postCount - (current.removedCount ?? 0));
    const holds = mustHold(current, gone.length, stillThere);
    if (current.mirrorRemovals && !holds) postDelta -= await deletePosts(db, gone.map((p) => p.key));
    else counts.kept = gone.length;
    // Kept as posts are written and deleted: counting walks the whole generation.
    const postCount = Math.max(0, current.postCount + postDelta);
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
