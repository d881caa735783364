// Where a sync's time goes, stage by stage, kept with the sync's result
// (lastSync.stages; see db/commit.ts SyncCounts) so a slow sync can be explained from the reader's own
// archive: reading and unpacking the download, waiting for a batch's posts
// to be parsed (`parse`: by the sync engine, src/engine), waiting for
// the database to save what was read (`wait`), checking the storage limit
// (`check`), saving a batch (`save`, from its start to its transaction's
// end), indexing, and completing it; `trees` is hashing the files GitHub's
// listing cut short (core/git-tree.ts); `engine` is the sync engine's own
// time, parsing and indexing (in its worker, beside the rest); `parseHere` is
// the background parsing batches itself while the worker is busy with another;
// `spool` is waiting for a download that ran ahead of the sync to be kept on
// disk whole before it is read (sync/spool.ts).
// Stages overlap (the database saves one batch while the next is parsed),
// so they do not add up to the sync's time.
export type Stage = 'spool' | 'unpack' | 'parse' | 'parseHere' | 'trees' | 'wait' | 'check' | 'save' | 'index' | 'engine' | 'commit'
  // Parts of completing a full sync: comparing its files with the old ones, carrying removed
  // posts over, writing the index (or building it from the stored posts, for a job resumed) and the
  // directory of posts (db/post-directory.ts), switching generations, dropping the old one.
  | 'commitFiles' | 'commitRemoved' | 'commitIndex' | 'commitDirectory' | 'commitMerge' | 'commitSwitch' | 'commitDrop';

export type StageTimes = Partial<Record<Stage, number>>;

export class StageClock {
  private readonly times: StageTimes = {};

  add(stage: Stage, ms: number): void {
    this.times[stage] = (this.times[stage] ?? 0) + ms;
  }

  async time<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.add(stage, performance.now() - started);
    }
  }

  /** Whole milliseconds, as stored. */
  toJSON(): StageTimes {
    return Object.fromEntries(Object.entries(this.times).map(([stage, ms]) => [stage, Math.round(ms)]));
  }
}
