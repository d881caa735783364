import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncError } from '../core/github';
import { societyRecords } from '../../test/support/stored-posts';
import { appendPosts } from './post-store';
import { openArchive, type ArchiveDb } from './schema';
import { GenerationIndex } from './search-index';
import { CHECK_AHEAD, forgetLiveIndex, guardStorage, liveIndexOf, stageBatch, type JobRef } from './staging';

const SOURCE = 'github:nodebe4/society';
/** 200 real posts of society, as a full sync stores them (generation 1). */
const society = societyRecords(SOURCE, 1, 200);
const job: JobRef = { id: 'job-1', sourceId: SOURCE, mode: 'full', gen: 1 };

let db: ArchiveDb;
let counter = 0;
beforeEach(() => {
  db = openArchive(`staging-${++counter}`);
});
afterEach(async () => {
  forgetLiveIndex(job);
  vi.restoreAllMocks();
  await db.delete();
});

describe("a resumed full job's live index", () => {
  it('is built once from the posts the job stored, whoever asks', async () => {
    await appendPosts(db, society, undefined, true);
    const walks = vi.fn();
    const [a, b] = await Promise.all([liveIndexOf(db, job, walks), liveIndexOf(db, job, walks)]);
    expect(a).toBe(b);
    expect(society.every((post) => a.has(post.id))).toBe(true);
    const calls = walks.mock.calls.length;
    expect(await liveIndexOf(db, job, walks)).toBe(a);
    expect(walks.mock.calls.length).toBe(calls);
  });

  it('keeps nothing of a build the job was forgotten during (its engine stopped, or it was cancelled), and is built afresh when asked again', async () => {
    await appendPosts(db, society, undefined, true);
    const closed = vi.spyOn(GenerationIndex.prototype, 'close');
    let walks = 0;
    const first = liveIndexOf(db, job, () => {
      if (++walks === 1) forgetLiveIndex(job);
    });
    await expect(first).rejects.toBeInstanceOf(SyncError);
    // The abandoned build's index (and its engine session) is let go at once, not kept until the worker stops.
    expect(closed).toHaveBeenCalledTimes(1);
    const again = await liveIndexOf(db, job);
    expect(again).not.toBe(await first.catch(() => null));
    expect(society.every((post) => again.has(post.id))).toBe(true);
    expect(await liveIndexOf(db, job)).toBe(again);
    expect(closed).toHaveBeenCalledTimes(1);
  });
});

describe("a sync's storage checks", () => {
  afterEach(() => guardStorage(null));

  it("let batches go on while the browser's estimate is slow to answer, a few at most, and stop the sync once one says the limit is passed", async () => {
    // Each check answers when the test says: the browser's estimate waits behind the database's work.
    const answers: { pass: () => void; fail: () => void }[] = [];
    guardStorage(() => new Promise<void>((resolve, reject) => answers.push({ pass: resolve, fail: () => reject(new SyncError('storage-limit', { code: 'storageLimit', args: ['1'] })) })));
    const slow: JobRef = { id: 'job-slow', sourceId: SOURCE, mode: 'incremental', gen: 1 };
    const saved: number[] = [];
    const save = (n: number) => stageBatch(db, slow, []).then(() => saved.push(n));
    // The first batch waits for its own check.
    const first = save(1);
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(saved).toEqual([]);
    answers[0]!.pass();
    await first;
    // The next check is out; batches go on without its answer, CHECK_AHEAD of them with the first, then wait for it.
    for (let n = 2; n <= CHECK_AHEAD; n++) await save(n);
    expect(answers).toHaveLength(2);
    const waiting = save(CHECK_AHEAD + 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(saved).toEqual(Array.from({ length: CHECK_AHEAD }, (_, i) => i + 1));
    answers[1]!.pass();
    await waiting;
    // A check that says the limit is passed stops the next batch once its answer is in.
    expect(answers).toHaveLength(3);
    answers[2]!.fail();
    await new Promise((r) => setTimeout(r, 0));
    await expect(save(CHECK_AHEAD + 2)).rejects.toMatchObject({ kind: 'storage-limit' });
    expect(saved).toHaveLength(CHECK_AHEAD + 1);
  });
});
