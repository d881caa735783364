// A sync that fails for a reason that may pass is tried again by itself,
// later each time, and given up after a few tries: it no longer asks its
// server at every start of the worker, forever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { SyncError } from '../core/github';
import { MAX_TRIES, RETRY_AFTER_MS } from '../core/retry';
import { userMessage } from '../core/user-messages';
import type { JobRecord } from '../db/schema';
import { syncGithub } from '../sync/github-sync';
import { githubSource } from '../sync/sources';
import { db } from './archive';
import { anyMerging, resumeInterrupted, startSync, whenArchiveChanges } from './sync-manager';

vi.mock('../sync/github-sync', () => ({ syncGithub: vi.fn() }));

afterEach(() => vi.useRealTimers());

describe('a sync that keeps failing for a reason that may pass', () => {
  it('is tried again later each time, says when, and is given up after a few tries with the archive as it was', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let now = Date.UTC(2026, 11, 3, 12);
    vi.setSystemTime(now);
    const source = githubSource({ repository: 'NodeBE4/society' });
    await db.sources.put(source);
    const sync = vi.mocked(syncGithub);
    // As the real sync does on a download cut short: the job (its checkpoint) is kept, the error is transient.
    sync.mockImplementation(async (ctx, s) => {
      if (!(await ctx.db.jobs.get(s.id))) {
        const job: JobRecord = { id: s.id, sourceId: s.id, mode: 'full', gen: 1, commitSha: 'c', branch: 'master', moves: [], remove: [], fetch: [], total: 0, startedAt: now, requests: 0, bytes: 0 };
        await ctx.db.jobs.put(job);
      }
      throw new SyncError('offline', userMessage('downloadBrokeFrom', 'GitHub'), true);
    });
    const alarms = vi.spyOn(browser.alarms, 'create');

    await startSync(source.id);
    for (let failed = 1; failed < MAX_TRIES; failed++) {
      const job = (await db.jobs.get(source.id))!;
      // (Waiting for the try moves the fake clock on by a few ms.)
      expect(job.failedTries).toBe(failed);
      expect(job.retryAt! - now).toBeGreaterThanOrEqual(RETRY_AFTER_MS[failed - 1]!);
      expect(job.retryAt! - now).toBeLessThan(RETRY_AFTER_MS[failed - 1]! + 1_000);
      const due = job.retryAt!;
      expect((await db.sources.get(source.id))!.lastSync!.retry).toEqual({ at: due, try: failed + 1, of: MAX_TRIES });
      expect(alarms).toHaveBeenLastCalledWith('sync-retry', { when: due });
      // A start of the worker before it is due does not try.
      await resumeInterrupted();
      expect(sync).toHaveBeenCalledTimes(failed);
      // When it is due, it does.
      now = due;
      vi.setSystemTime(now);
      await resumeInterrupted();
      await vi.waitFor(async () => expect((await db.jobs.get(source.id))?.failedTries ?? MAX_TRIES).toBe(failed + 1), { timeout: 5_000 });
    }
    // Given up: no job left to resume, and the reader is told.
    expect(await db.jobs.get(source.id)).toBeUndefined();
    expect((await db.sources.get(source.id))!.lastSync!.retry).toEqual({ gaveUpAfter: MAX_TRIES });
    await resumeInterrupted();
    expect(sync).toHaveBeenCalledTimes(MAX_TRIES);
  });
});

describe('after a sync', () => {
  it("says a merge of the source's index is pending until it has run, so channels' usual text waits for it", async () => {
    const source = githubSource({ repository: 'NodeBE4/teahouse' });
    await db.sources.put(source);
    vi.mocked(syncGithub).mockRejectedValue(new SyncError('bad-archive', userMessage('githubNotATarball', 'NodeBE4/teahouse')));
    // Those of the syncs above are done first.
    await vi.waitFor(() => expect(anyMerging()).toBe(false), { timeout: 10_000 });
    await startSync(source.id);
    // The merge waits a moment after the sync (its readers go first), and the pass waits for it.
    expect(anyMerging()).toBe(true);
    await vi.waitFor(() => expect(anyMerging()).toBe(false), { timeout: 10_000 });
  });

  it('says it is done only once search is readied for what it brought, so the first query after it runs at full speed', async () => {
    const source = githubSource({ repository: 'NodeBE4/readied' });
    await db.sources.put(source);
    vi.mocked(syncGithub).mockResolvedValue({ result: 'updated', counts: { added: 3, changed: 0, removed: 0, moved: 0 }, mode: 'full' });
    let readied!: () => void;
    const readying = vi.fn(() => new Promise<void>((resolve) => (readied = resolve)));
    whenArchiveChanges(readying);
    const sync = startSync(source.id);
    await vi.waitFor(() => expect(readying).toHaveBeenCalledTimes(1));
    // Search is being readied: the options page does not say the sync is done yet.
    await new Promise((r) => setTimeout(r, 100));
    expect((await db.sources.get(source.id))!.lastSync).toBeUndefined();
    readied();
    await sync;
    expect((await db.sources.get(source.id))!.lastSync).toMatchObject({ result: 'updated', added: 3 });
    whenArchiveChanges(() => {});
  });
});
