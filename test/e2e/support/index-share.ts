// What the search index adds to a sync: the background records, with each
// full sync, how long the index took (its posts added as they were written,
// and its rows written at the end), read here from the source's record.
import type { Driver } from './driver';

export interface SyncTimes {
  ms: number;
  indexMs: number;
  /** Of indexMs, writing the index's rows at the end (absent: built from the stored posts). */
  indexWriteMs?: number;
  /** Where the sync's time went (core/stages.ts). */
  stages?: Record<string, number>;
  /** Where the posts were parsed and indexed (db/commit.ts SyncCounts). */
  parsedIn?: 'worker' | 'background';
}

/** The last sync's time in the background and the index's part of it. */
export async function lastSyncTimes(driver: Driver, sourceId: string): Promise<SyncTimes | null> {
  return driver.evaluate<SyncTimes | null>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('archivelens');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('sources').objectStore('sources').get(${JSON.stringify(sourceId)});
      get.onsuccess = () => {
        const last = get.result?.lastSync;
        open.result.close();
        resolve(last && typeof last.indexMs === 'number' ? { ms: last.ms, indexMs: last.indexMs, indexWriteMs: last.indexWriteMs, stages: last.stages, parsedIn: last.parsedIn } : null);
      };
    };
  })`);
}

/** The sync's stages as the background timed them (they overlap: the database saves a batch while the next is parsed). */
export function describeStages({ stages, parsedIn }: SyncTimes): string {
  if (!stages) return 'no stage times';
  return `${Object.entries(stages).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(', ')}; posts parsed and indexed in the ${parsedIn ?? 'background'}`;
}

export function describeIndexShare({ ms, indexMs, indexWriteMs }: SyncTimes): string {
  const without = ms - indexMs;
  const write = indexWriteMs === undefined ? '' : ` (${indexMs - indexWriteMs} ms adding posts, while the database saved the next batch; ${indexWriteMs} ms writing its rows)`;
  return `the search index took ${indexMs} ms of the background's ${ms} ms${write}: at most ${((100 * indexMs) / without).toFixed(0)} % more than the ${without} ms the sync would take without it, less where it overlaps the database's work (aim: at most a third)`;
}
