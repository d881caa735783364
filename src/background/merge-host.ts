// Where the merge of an index's segments runs its ranges (db/search-merge.ts):
// in Firefox's background page, each range in a worker of its own, ended
// after it (engine/merge-worker.ts says why). Chrome's service worker cannot
// start a worker; there the ranges run in its own thread, whose collector kept
// up (the merge added no peak of its own at society ×32).
import { withOwnArchive } from '../db/schema';
import { mergeLimits, mergeRanges, mergeRows, type MergeAsk, type MergedRange } from '../db/search-merge';
import { inOwnWorker } from '../engine/own-worker';

/** `start` makes the worker (tests give a stand-in). */
export function mergeInWorkers(start: () => Worker = () => new Worker(new URL('../engine/merge-worker.ts', import.meta.url), { type: 'module' })): void {
  if (typeof Worker === 'undefined') return;
  mergeRanges.worker = (dbName, docs, merged, range) => {
    // A range's rows are keyed by bucket and by order, so writing it again is harmless.
    const here = () => withOwnArchive(dbName, (db) => mergeRows(db, docs, merged, range));
    const ask: MergeAsk = { dbName, docs, merged, range, bytesPerStep: mergeLimits.bytesPerStep };
    return inOwnWorker<MergeAsk, MergedRange>(start, ask, here);
  };
}
