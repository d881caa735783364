// Whether the background's pass after a sync has found every channel's usual
// text (db/boilerplate.ts), read from an extension page: the pass keeps each
// channel's as a row stamped with the archive's state it was found for, and
// finds every channel of at least PASS_MIN_POSTS posts in the sources'
// indexes (their facets count each channel's posts).
import { PASS_CHANNELS, PASS_MIN_POSTS } from '../../../src/db/boilerplate';
import type { Driver } from './driver';

/** The channels the pass finds for the archive as it is: by the facets of each source's current index. */
export function channelsToFind(driver: Driver): Promise<number> {
  return driver.evaluate<number>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('archivelens');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(['sources', 'searchDocs']);
      const sources = tx.objectStore('sources').getAll();
      const counts = new Map();
      sources.onsuccess = () => {
        for (const s of sources.result) {
          if (!s.searchIndex) continue;
          const docs = tx.objectStore('searchDocs').get(s.id + '|' + s.searchIndex.gen + '|' + s.searchIndex.build);
          docs.onsuccess = () => {
            for (const [name, n] of docs.result?.facets?.channels ?? []) if (name) counts.set(name, (counts.get(name) ?? 0) + n);
          };
        }
      };
      tx.onerror = () => reject(tx.error);
      tx.oncomplete = () => {
        open.result.close();
        resolve(Math.min(${PASS_CHANNELS}, [...counts.values()].filter((n) => n >= ${PASS_MIN_POSTS}).length));
      };
    };
  })`);
}

/** The stamps of the usual text stored now, and how many channels have a row. */
export function usualTextRows(driver: Driver): Promise<{ stamps: string[]; channels: number }> {
  return driver.evaluate<{ stamps: string[]; channels: number }>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('archivelens');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const rows = open.result.transaction('usualText').objectStore('usualText').getAll();
      rows.onerror = () => reject(rows.error);
      rows.onsuccess = () => {
        open.result.close();
        resolve({ stamps: [...new Set(rows.result.map((r) => r.stamp))], channels: rows.result.length });
      };
    };
  })`);
}

/**
 * Waits until the pass has found the usual text of every one of `channels`
 * for one state of the archive other than those `before` holds (read as the
 * sync ended: what the archive had before it), and returns when it was seen
 * done. The pass drops the rows of other states once it has found them all.
 */
export async function untilUsualTextFound(driver: Driver, channels: number, before: readonly string[], limitMs = 600_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const rows = await usualTextRows(driver);
    if (rows.stamps.length === 1 && !before.includes(rows.stamps[0]!) && rows.channels === channels) return Date.now();
    if (Date.now() - started > limitMs) throw new Error(`channels' usual text was not found for the synced archive: ${rows.channels} rows of ${channels}, stamps ${rows.stamps.join(', ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
