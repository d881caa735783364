import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import type { SyncProgress } from '../sync/progress';
import { PROGRESS_KEY, ProgressStore } from './progress-store';

const progress = (sourceId: string, phase: SyncProgress['phase'], done: number): SyncProgress => ({
  sourceId, phase, done, total: 100, bytes: 0, requests: 0, startedAt: 0, etaMs: null, message: '',
});

describe('sync progress of several sources at once', () => {
  it("keeps every source's latest state when two syncs report at the same time", async () => {
    const store = new ProgressStore();
    const writes: Promise<void>[] = [];
    // Two syncs report interleaved, without waiting (as the sync engine does while reading).
    for (let i = 1; i <= 50; i++) {
      writes.push(store.write(progress('a', 'reading', i)));
      writes.push(store.write(progress('b', 'reading', i)));
    }
    writes.push(store.write(progress('a', 'done', 100)));
    writes.push(store.write(progress('b', 'cancelled', 50)));
    await Promise.all(writes);
    const stored = (await browser.storage.session.get(PROGRESS_KEY))[PROGRESS_KEY] as Record<string, SyncProgress>;
    expect(stored.a!.phase).toBe('done');
    expect(stored.b!.phase).toBe('cancelled');
    // Nothing in storage.local, whose changes every YouTube tab's content script hears.
    expect(await browser.storage.local.get(null)).toEqual({});
  });

  it('starts from what an earlier worker stored, and forgets removed sources', async () => {
    await browser.storage.session.set({ [PROGRESS_KEY]: { old: progress('old', 'done', 100), gone: progress('gone', 'failed', 1) } });
    const store = new ProgressStore();
    await store.write(progress('new', 'reading', 1));
    await store.forget('gone');
    const stored = (await browser.storage.session.get(PROGRESS_KEY))[PROGRESS_KEY] as Record<string, SyncProgress>;
    expect(Object.keys(stored).sort()).toEqual(['new', 'old']);
  });
});
