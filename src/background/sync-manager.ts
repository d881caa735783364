// Runs syncs in the background, one per source, so closing the options page
// does not stop them. Progress goes to storage.session (the options page
// listens; content scripts do not hear it); a job interrupted by a stopped service worker is resumed from its
// checkpoint by the next start or by the watchdog alarm. Each sync holds its
// source's lock (db/locks.ts) from start to end.
import browser from 'webextension-polyfill';
import { SyncError } from '../core/github';
import { userMessage, type UserMessage } from '../core/user-messages';
import type { LastSync, SourceRecord } from '../db/schema';
import { syncBundle } from '../sync/bundle-sync';
import { syncGithub, type SyncOutcome } from '../sync/github-sync';
import { ENGINE_CHOICE_KEY, startEngine, type EngineChoice } from './engine-host';
import { cacheSpool, canSpoolDownloads } from './download-spool';
import { pacedResponse } from './download-pacing';
import { bundleOrigin } from '../sync/sources';
import { Http } from '../sync/http';
import type { SyncProgress } from '../sync/progress';
import { cleanUpLeftovers } from '../db/cleanup';
import { removeSource } from '../db/import';
import { ifSourceFree, withSourceLock } from '../db/locks';
import { ensureSearchIndex } from '../db/search-index';
import { mergeSearchSegments } from '../db/search-merge';
import { readySearch } from '../db/search';
import { discardJob } from '../db/generations';
import { MAX_TRIES, nextTry } from '../core/retry';
import { db } from './archive';
import { ProgressStore } from './progress-store';
import { getToken } from './tokens';
import { purgeRemoved } from '../db/removed';
import { readersQuiet, readerWaiting, sleep } from './readers';
import { progressArea } from '../shared/progress-area';

const WATCHDOG = 'sync-watchdog';
/** Wakes the background when a failed sync is due to be tried again. */
const RETRY = 'sync-retry';
const BACKOFF_MS = [1000, 4000, 15000];
const REPORT_EVERY_MS = 250;
/**
 * A running sync writes its progress at least this often, even while it
 * waits (GitHub computing the listing of a large tree can take tens of
 * seconds before the first byte). Firefox ends an event page after 30 s
 * without an extension event, and the background's own storage.onChanged
 * listener hears each write; Chrome counts the call itself. A listing of
 * society ×32 that took 50 s to begin was lost so in Firefox, its sync
 * showing "Listing…" for good. The options page also sees the bytes grow.
 */
const HEARTBEAT_MS = 10_000;
/**
 * Posts a full sync saves per transaction. Each batch in flight holds its
 * posts several times over (their bytes, their text, their packs' JSON, the
 * database's copy of it) in the extension's process until it is saved, and
 * Firefox's collector lets its worker's memory grow by half again over what
 * is held before it runs: the fewer held, the lower the peak.
 *
 * Firefox saves 500 (its worker saves what it parsed, engine/saving.ts).
 * Society ×8, three runs of each alternated (scripts/probe/firefox-memory.ts,
 * December 7, 2026): peak 433–442 MiB (mean of the samples 380–396) against
 * 452–514 (387–421) with 2,000, the sync about 5 % slower (18.1–19.1 s
 * against 17.1–18.2); the heavy archive 436–481 against 466–499, 8 % slower;
 * 1,000 was between (449–471); 250 no lower than 500 (417–433 against
 * 415–437 at ×8). At ×32 the peak comes elsewhere (574 against 567), the
 * sync 7 % slower (77.6 s against 72.6). (When the background saved the
 * posts itself, Firefox's transactions cost more: 500 was 37 % slower.)
 *
 * Chromium's sync is bound by its own thread's work: batches of 2,000 were
 * 5–15 % faster, but the extension process's peak rose from 418–430 MiB to
 * 501–589 MiB (the aim is 400). It saves 250: society ×8, six runs of each
 * alternated (scripts/probe/sync-memory.ts, December 7, 2026), peak 367–390
 * MiB (mean 374) against 377–404 (390) with 500, the sync 17.2–24.9 s
 * against 18.0–21.8; 125 was lower still (355–372) but 17 % slower.
 * Teahouse's size: 4.5–4.7 s against 4.1–4.6, 8 MiB lower. At ×32 the peak
 * comes as the sync commits, and was the same (460 against 456).
 */
const BATCH_POSTS = /\bFirefox\//.test(globalThis.navigator?.userAgent ?? '') ? 500 : 250;

/** Where syncs parse their posts, unless `storage.local` says otherwise (engine-host.ts). */
async function engineChoice(): Promise<EngineChoice> {
  const stored = (await browser.storage.local.get(ENGINE_CHOICE_KEY).catch(() => ({})) as Record<string, unknown>)[ENGINE_CHOICE_KEY];
  return stored === 'worker' || stored === 'background' ? stored : 'auto';
}

const running = new Map<string, AbortController>();
let onArchiveChanged: () => Promise<void> | void = () => {};

/** What a sync that changed the archive calls before it says it is done; it may resolve once search is readied for the change. */
export function whenArchiveChanges(callback: () => Promise<void> | void): void {
  onArchiveChanged = callback;
}

/**
 * How long a sync that changed the archive waits, at most, for search to be
 * readied before it says it is done. Readied, a reader's first query runs
 * compiled code over the new index's rows: as society ×32 ended in Firefox,
 * 罗宾 took 32–34 ms unreadied and 21 ms readied (14 once every warm-up query
 * had run), for about 150 ms of warm-up.
 */
const READY_SEARCH_MS = 2000;

export function isSyncing(sourceId: string): boolean {
  return running.has(sourceId);
}

/** Whether any sync is running (background work waits for it to end). */
export function anySyncing(): boolean {
  return running.size > 0;
}

const progressStore = new ProgressStore();
const writeProgress = (progress: SyncProgress) => progressStore.write(progress);

/** Starts a sync of a source unless one is running; resolves when it ends. */
export function startSync(sourceId: string): Promise<void> {
  if (running.has(sourceId)) return Promise.resolve();
  const controller = new AbortController();
  running.set(sourceId, controller);
  void browser.alarms.create(WATCHDOG, { periodInMinutes: 1 });
  return withSourceLock(sourceId, () => runSync(sourceId, controller)).finally(() => {
    running.delete(sourceId);
    if (running.size === 0) void browser.alarms.clear(WATCHDOG);
    // As a sync ends, the options page reads what it brought and a reader may search it: they go
    // first. A merge begun at once held the first query of a ×32 sync 350 ms (reads wait for its writes).
    merging++;
    void sleep(MERGE_AFTER_MS)
      .then(() => mergeSegments(sourceId))
      .finally(() => merging--);
  });
}

/** Merges asked for and not yet done (mergeSegments catches its own failures). */
let merging = 0;

/**
 * Whether a merge of an index is waiting or under way: channels' usual text
 * (router.ts) waits for it. Run together after society ×32, the two took the
 * extension's process from 389–410 MiB (either alone) to 448–457, and the
 * merge's switch to a new build made the pass's answers stale for the next start.
 */
export function anyMerging(): boolean {
  return merging > 0;
}

/** How long after its sync a source's index waits to be merged (then it waits for readers to be quiet too). */
const MERGE_AFTER_MS = 1500;

/** Removes a source: its sync is cancelled, and the removal waits for it to let go of the source. */
export async function removeSourceSafely(sourceId: string): Promise<void> {
  cancelSync(sourceId);
  await withSourceLock(sourceId, () => removeSource(db, sourceId));
  await progressStore.forget(sourceId);
}

/** Purges a source's removed posts (db/removed.ts), holding its lock: never in the middle of its sync. */
export function purgeRemovedSafely(sourceId: string): Promise<number> {
  return withSourceLock(sourceId, () => purgeRemoved(db, sourceId));
}

export function cancelSync(sourceId: string): void {
  running.get(sourceId)?.abort(new DOMException('cancelled', 'AbortError'));
}

async function runSync(sourceId: string, controller: AbortController): Promise<void> {
  const source = await db.sources.get(sourceId);
  if (!source || controller.signal.aborted) return;
  const startedAt = Date.now();
  const http = new Http({ fetch: (url, init) => fetch(url, init), signal: controller.signal, backoffMs: BACKOFF_MS });
  let last: SyncProgress | null = null;
  let lastWrite = 0;
  const report = (progress: SyncProgress) => {
    last = progress;
    const now = Date.now();
    if (now - lastWrite >= REPORT_EVERY_MS || progress.phase !== 'reading') {
      lastWrite = now;
      void writeProgress(progress);
    }
  };
  const heartbeat = setInterval(() => {
    if (last) void writeProgress({ ...last, bytes: http.bytes, requests: http.requests, updatedAt: Date.now() });
  }, HEARTBEAT_MS);
  const finish = async (result: LastSync['result'], message: string, counts: Partial<LastSync> = {}, error?: UserMessage) => {
    clearInterval(heartbeat);
    const lastSync: LastSync = {
      at: Date.now(), result, message, added: 0, changed: 0, removed: 0, moved: 0,
      requests: http.requests, bytes: http.bytes, ms: Date.now() - startedAt, ...counts,
      ...(error ? { error } : {}),
    };
    await db.sources.update(sourceId, { lastSync });
    const phase = result === 'updated' ? 'done' : result === 'up-to-date' ? 'up-to-date' : result;
    await writeProgress({
      sourceId, phase, done: (last as SyncProgress | null)?.total ?? 0, total: (last as SyncProgress | null)?.total ?? 0,
      bytes: http.bytes, requests: http.requests, startedAt, etaMs: 0, message, ...(error ? { error } : {}),
    });
  };

  try {
    let outcome: SyncOutcome;
    if (source.kind === 'github') {
      const engine = await engineChoice();
      outcome = await syncGithub(
        { db, http, token: await getToken(sourceId), report, startEngine: () => startEngine(engine), ...(canSpoolDownloads() ? { spool: { store: cacheSpool, paced: await pacedResponse() } } : {}), ...(BATCH_POSTS ? { batch: BATCH_POSTS } : {}) },
        source,
      );
    } else if (source.kind === 'bundle' && source.bundleUrl) {
      if (!(await browser.permissions.contains({ origins: [bundleOrigin(source.bundleUrl)] }))) {
        throw new SyncError('forbidden', userMessage('bundleNotAllowed', new URL(source.bundleUrl).host));
      }
      outcome = await syncBundle({ db, http, token: null, report }, source);
    } else {
      throw new SyncError('other', userMessage('cannotSyncHere', source.name));
    }
    if (outcome.result === 'up-to-date') {
      await finish('up-to-date', 'Up to date: nothing changed since the last sync.');
    } else {
      const { added, changed, removed, moved } = outcome.counts;
      // The reader is told once search is readied for what the sync brought (a query of theirs stops that).
      await Promise.race([Promise.resolve(onArchiveChanged()).catch(() => {}), sleep(READY_SEARCH_MS)]);
      await finish('updated', `Synced: ${added} new, ${changed} changed, ${removed} removed, ${moved} moved.`, outcome.counts);
    }
  } catch (error) {
    const e = error instanceof SyncError ? error : new SyncError('other', userMessage('somethingFailed', error instanceof Error ? error.message : String(error)));
    await finish(e.kind === 'cancelled' ? 'cancelled' : 'failed', e.message, { ...(e.transient ? await scheduleRetry(sourceId) : {}) }, e.userMessage);
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * A failure that may pass kept the job (its checkpoint): it is tried again
 * later by itself, later each time, and dropped after MAX_TRIES (the archive
 * stays as it was; "Sync now" starts afresh).
 */
async function scheduleRetry(sourceId: string): Promise<Partial<LastSync>> {
  const job = await db.jobs.get(sourceId);
  if (!job || job.local) return {};
  const failedTries = (job.failedTries ?? 0) + 1;
  const retryAt = nextTry(failedTries, Date.now());
  if (retryAt === null) {
    await discardJob(db, job);
    return { retry: { gaveUpAfter: failedTries } };
  }
  await db.jobs.update(job.id, { failedTries, retryAt });
  await scheduleRetryAlarm();
  return { retry: { at: retryAt, try: failedTries + 1, of: MAX_TRIES } };
}

/** One alarm for the earliest job due. */
async function scheduleRetryAlarm(): Promise<void> {
  const due = (await db.jobs.toArray()).filter((job) => !job.local && job.retryAt).map((job) => job.retryAt!);
  if (due.length === 0) return void (await browser.alarms.clear(RETRY));
  await browser.alarms.create(RETRY, { when: Math.max(Date.now() + 1_000, Math.min(...due)) });
}

/**
 * Resumes syncs whose worker was stopped mid-way (their jobs are
 * checkpointed), and those that failed for a reason that may pass once they
 * are due; the others wait for their alarm.
 */
export async function resumeInterrupted(): Promise<void> {
  const now = Date.now();
  const jobs = await db.jobs.toArray();
  for (const job of jobs) {
    if (job.local || running.has(job.sourceId)) continue;
    if (job.retryAt && job.retryAt > now) continue;
    void startSync(job.sourceId);
  }
  // A sync stopped before it had a job (while it asked GitHub, or GitHub listed the files)
  // left only its progress: it starts again rather than say "Listing…" for good.
  const withJobs = new Set(jobs.map((job) => job.sourceId));
  for (const sourceId of await progressStore.running()) {
    if (running.has(sourceId) || withJobs.has(sourceId)) continue;
    const source = await db.sources.get(sourceId);
    if (source?.kind === 'github' || (source?.kind === 'bundle' && source.bundleUrl)) void startSync(sourceId);
  }
  await scheduleRetryAlarm();
}

/**
 * Drops what interrupted imports and stopped switches left behind. Safe at
 * every start of the background: sources being written are skipped.
 */
export function cleanUp(): Promise<void> {
  return cleanUpLeftovers(db);
}

/**
 * Builds the search index of sources that have none (archives synced before
 * the index existed: until then their searches read every post) or one made
 * before indexes kept their posts' videos (until then the set of archived
 * videos is read by walking every post's video). A source being synced is
 * left to its sync.
 */
export async function indexMissing(): Promise<void> {
  for (const source of await db.sources.toArray()) {
    await ifSourceFree(source.id, () => ensureSearchIndex(db, source.id));
    merging++;
    await mergeSegments(source.id).finally(() => merging--);
  }
}

/**
 * Merges the segments of a source's index into one (db/search-merge.ts),
 * after its sync or a start of the background that finds them, and drops the
 * rows of other builds (the segments a sync merged as it committed). A sync of
 * the source that starts meanwhile waits for the lock, so the merge gives
 * way: it stops, and the segmented index stays until the next time.
 */
async function mergeSegments(sourceId: string): Promise<void> {
  // The merge waits for readers and reads the database, neither of which is
  // an extension event: like a sync, it says it is alive, so the browser does
  // not end the background after 30 s of it (about 20 s at society ×32 when
  // nobody asks; longer while readers do).
  const heartbeat = setInterval(() => void progressArea().set({ [MERGE_HEARTBEAT_KEY]: Date.now() }).catch(() => {}), HEARTBEAT_MS);
  try {
    // Between readers' requests; a sync of the source that starts stops it, until the merged index is switched to.
    const merged = await withSourceLock(sourceId, () => mergeSearchSegments(db, sourceId, (switched) => readersQuiet(() => {
      if (!switched && running.has(sourceId)) throw new MergeGivesWay();
    })));
    // The merge read the merged index's list of posts ahead; the warm-up queries read its common rows, as after a sync.
    if (merged) await readySearch(db, true, readerWaiting).catch(() => {});
  } catch (error) {
    if (!(error instanceof MergeGivesWay)) console.warn(`ArchiveLens: merging the search index of ${sourceId} failed`, error);
  } finally {
    clearInterval(heartbeat);
  }
}

const MERGE_HEARTBEAT_KEY = 'mergeHeartbeat';

class MergeGivesWay extends Error {}

export async function syncAll(kinds: SourceRecord['kind'][] = ['github', 'bundle']): Promise<void> {
  const sources = await db.sources.toArray();
  for (const source of sources.filter((s) => kinds.includes(s.kind))) await startSync(source.id);
}

export const ALARMS = { WATCHDOG, RETRY, PERIODIC: 'periodic-sync' } as const;
