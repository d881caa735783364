import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncError } from '../core/github';
import { societyRecords } from '../../test/support/stored-posts';
import { appendPosts } from './post-store';
import { openArchive, type ArchiveDb } from './schema';
import { GenerationIndex } from './search-index';
import { forgetLiveIndex, liveIndexOf, type JobRef } from './staging';

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
