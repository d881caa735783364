// A range of an index's merge (db/search-merge.ts, mergeRows), in a worker
// started for it and ended after it (background/merge-host.ts). Firefox left
// what the merge read and wrote in its background page's heap for seconds:
// at society ×32 the extension's process went from about 680 to 1,100 MiB in
// the merge's four seconds (a memory report that collected first found
// 460–480 MiB resident then). A worker's memory all goes when it ends: with
// the ranges in workers the merge no longer raised the process's peak.
import { openArchive } from '../db/schema';
import { mergeLimits, mergeRows, type MergeAnswer, type MergeAsk } from '../db/search-merge';

const scope = self as unknown as { onmessage: ((event: MessageEvent<MergeAsk>) => void) | null; postMessage(answer: MergeAnswer): void };

scope.onmessage = ({ data }) => {
  const db = openArchive(data.dbName);
  mergeLimits.bytesPerStep = data.bytesPerStep;
  mergeRows(db, data.docs, data.merged, data.range)
    .then((done): MergeAnswer => ({ ok: true, done }), (error: unknown): MergeAnswer => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
    .then((answer) => {
      db.close();
      scope.postMessage(answer);
    });
};
