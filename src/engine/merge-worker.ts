// A range of an index's merge (db/search-merge.ts, mergeRows), in a worker
// started for it and ended after it (background/merge-host.ts). Firefox left
// what the merge read and wrote in its background page's heap for seconds:
// at society ×32 the extension's process went from about 680 to 1,100 MiB in
// the merge's four seconds (a memory report that collected first found
// 460–480 MiB resident then). A worker's memory all goes when it ends: with
// the ranges in workers the merge no longer raised the process's peak.
import { answerWith } from './own-worker';
import { withOwnArchive } from '../db/schema';
import { mergeLimits, mergeRows, type MergeAsk, type MergedRange } from '../db/search-merge';

answerWith<MergeAsk, MergedRange>((ask) => {
  mergeLimits.bytesPerStep = ask.bytesPerStep;
  return withOwnArchive(ask.dbName, (db) => mergeRows(db, ask.docs, ask.merged, ask.range));
});
