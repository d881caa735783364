// A sync the browser stopped before it had a job (while GitHub listed a large
// tree) starts again; a running sync writes its progress even while it waits,
// which is what keeps Firefox's event page alive through a slow listing.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressArea } from '../shared/progress-area';
import { PROGRESS_KEY, type SyncProgress } from '../sync/progress';
import { syncGithub } from '../sync/github-sync';
import { githubSource } from '../sync/sources';
import type { SourceRecord } from '../db/schema';
import { db } from './archive';
import { resumeInterrupted, startSync } from './sync-manager';

vi.mock('../sync/github-sync', () => ({ syncGithub: vi.fn() }));

afterEach(() => {
  vi.useRealTimers();
  vi.mocked(syncGithub).mockReset();
});

const progressOf = async (sourceId: string) =>
  ((await progressArea().get(PROGRESS_KEY))[PROGRESS_KEY] as Record<string, SyncProgress> | undefined)?.[sourceId];

function progress(sourceId: string, phase: SyncProgress['phase']): SyncProgress {
  return { sourceId, phase, done: 0, total: 0, bytes: 0, requests: 2, startedAt: Date.now() - 60_000, etaMs: null, message: '' };
}

describe('a sync stopped with the background', () => {
  it('starts again when it had no job yet, and leaves alone what had ended or cannot be synced', async () => {
    const listing = githubSource({ repository: 'NodeBE4/listing' });
    const ended = githubSource({ repository: 'NodeBE4/ended' });
    const file: SourceRecord = { id: 'file:society', kind: 'file', name: 'society', repo: null, site: null, postCount: 0, failureCount: 0, importedAt: 0 };
    await db.sources.bulkPut([listing, ended, file]);
    // What the stopped background left: a sync listing files, one that had ended, an import mid-way.
    await progressArea().set({ [PROGRESS_KEY]: { [listing.id]: progress(listing.id, 'listing'), [ended.id]: progress(ended.id, 'done'), [file.id]: progress(file.id, 'reading') } });
    vi.mocked(syncGithub).mockResolvedValue({ result: 'up-to-date' });

    await resumeInterrupted();
    await vi.waitFor(async () => expect((await progressOf(listing.id))?.phase).toBe('up-to-date'));
    expect(vi.mocked(syncGithub)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(syncGithub).mock.calls[0]![1].id).toBe(listing.id);
    expect((await progressOf(ended.id))?.phase).toBe('done');
    expect((await progressOf(file.id))?.phase).toBe('reading');
  });

  it('writes its progress at least every ten seconds while it waits, and not once it has ended', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const source = githubSource({ repository: 'NodeBE4/slow' });
    await db.sources.put(source);
    let answer!: () => void;
    vi.mocked(syncGithub).mockImplementation(async (ctx) => {
      ctx.report({ ...progress(source.id, 'listing'), startedAt: Date.now() });
      // GitHub takes its time to begin the listing of a large tree.
      await new Promise<void>((resolve) => (answer = resolve));
      return { result: 'up-to-date' };
    });
    const sync = startSync(source.id);
    await vi.waitFor(async () => expect((await progressOf(source.id))?.phase).toBe('listing'));
    expect((await progressOf(source.id))?.updatedAt).toBeUndefined();
    let previous = 0;
    for (let beat = 1; beat <= 3; beat++) {
      const before = Date.now();
      await vi.advanceTimersByTimeAsync(10_000);
      await vi.waitFor(async () => expect((await progressOf(source.id))?.updatedAt).toBeGreaterThan(Math.max(previous, before)));
      const written = (await progressOf(source.id))!;
      expect(written.phase).toBe('listing');
      previous = written.updatedAt!;
    }
    answer();
    await sync;
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await progressOf(source.id))?.phase).toBe('up-to-date');
  });
});
