// Where the merge of an index's segments runs its ranges (db/search-merge.ts):
// in Firefox's background page, each range in a worker of its own, ended
// after it (engine/merge-worker.ts says why). Chrome's service worker cannot
// start a worker; there the ranges run in its own thread, whose collector kept
// up (the merge added no peak of its own at society ×32).
import { openArchive } from '../db/schema';
import { mergeLimits, mergeRanges, mergeRows, type MergeAnswer, type MergeAsk, type MergedRange } from '../db/search-merge';

/** `start` makes the worker (tests give a stand-in). */
export function mergeInWorkers(start: () => Worker = () => new Worker(new URL('../engine/merge-worker.ts', import.meta.url), { type: 'module' })): void {
  if (typeof Worker === 'undefined') return;
  mergeRanges.worker = (dbName, docs, merged, range) =>
    new Promise<MergedRange>((resolve, reject) => {
      let worker: Worker;
      // A worker that cannot start (or dies) leaves its range to this thread: a
      // range's rows are keyed by bucket and by order, so writing it again is harmless.
      const here = () => {
        const db = openArchive(dbName);
        mergeRows(db, docs, merged, range).then(resolve, reject).finally(() => db.close());
      };
      try {
        worker = start();
      } catch {
        here();
        return;
      }
      worker.onmessage = ({ data }: MessageEvent<MergeAnswer>) => {
        worker.terminate();
        if (data.ok) resolve(data.done);
        else reject(new Error(data.error));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        here();
      };
      const ask: MergeAsk = { dbName, docs, merged, range, bytesPerStep: mergeLimits.bytesPerStep };
      worker.postMessage(ask);
    });
}
