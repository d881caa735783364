// Whether the background's pass after a sync has found every channel's usual
// text (db/boilerplate.ts), read from an extension page: the pass keeps each
// channel's as a row stamped with the archive's state it was found for, and
// finds every channel of at least PASS_MIN_POSTS posts in the sources'
// indexes (their facets count each channel's posts). Both reads are small:
// in Firefox the page runs in the extension's process, whose memory the
// end-to-end run measures meanwhile.
import { PASS_CHANNELS, PASS_MIN_POSTS } from '../../../src/db/boilerplate';
import type { Driver } from './driver';
import { PAGE_ASK } from './search-timing';

/**
 * The channels the pass finds for the archive as it is, by the library's
 * counts (the background's facets of each index, as the pass counts them):
 * asked of the background, whose answer is small, where reading the indexes'
 * rows here would load megabytes into the extension's process being measured.
 */
export async function channelsToFind(driver: Driver): Promise<number> {
  const library = await driver.evaluate<{ channels: [string, number][]; channelCount: number }>(`(async () => {
    ${PAGE_ASK}
    return (await ask({ type: 'library' })).value;
  })()`);
  const counted = library.channels.filter(([name, n]) => name && n >= PASS_MIN_POSTS).length;
  // The library lists the largest channels: every one the pass finds, unless it cut the list short among them.
  if (library.channels.length < library.channelCount && library.channels.at(-1)![1] >= PASS_MIN_POSTS) throw new Error('the library listed too few channels to count those the pass finds');
  return Math.min(PASS_CHANNELS, counted);
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
