// Where the merge of an index's segments runs its ranges (db/search-merge.ts):
// in Firefox's background page, each range in a worker of its own, ended
// after it (engine/merge-worker.ts says why). Chrome's service worker cannot
// start a worker; there the ranges run in its own thread, whose collector kept
// up (the merge added no peak of its own at society ×32).
import { mergeLimits, mergeRanges, type MergeAnswer, type MergeAsk, type MergedRange } from '../db/search-merge';

export function mergeInWorkers(): void {
  if (typeof Worker === 'undefined') return;
  mergeRanges.worker = (dbName, docs, merged, range) =>
    new Promise<MergedRange>((resolve, reject) => {
      const worker = new Worker(new URL('../engine/merge-worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = ({ data }: MessageEvent<MergeAnswer>) => {
        worker.terminate();
        if (data.ok) resolve(data.done);
        else reject(new Error(data.error));
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(event.message || 'the merge worker failed'));
      };
      const ask: MergeAsk = { dbName, docs, merged, range, bytesPerStep: mergeLimits.bytesPerStep };
      worker.postMessage(ask);
    });
}
