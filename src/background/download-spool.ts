// Where a sync keeps a copy of its download, to read from when the network
// outruns the sync: on disk, through the Cache API (sync/spool.ts says when
// and why), in either browser.
//
// The Cache API writes a response's body to disk in the browser's own
// process as it arrives, and a body matched from it is read as the reader
// asks (768 KiB at a time in Firefox). Writing 120 MB there took 2 s here.
// Gathering the part that ran ahead into entries of our own instead, while
// reading the rest as it came, put every byte through this page's memory
// twice more: 200–250 MiB of ArrayBuffers waiting for the collector midway
// through society ×32 in Firefox, against 140–149 MiB with no spool and
// 33–107 with this (scripts/probe/firefox-memory.ts).
import type { Spool } from '../sync/spool';

const CACHE = 'archivelens-downloads';

/** Whether a download can be kept on disk here: both browsers' fetch read ahead of the page without bound (sync/spool.ts). */
export function canSpoolDownloads(): boolean {
  return typeof caches !== 'undefined';
}

let nextSpool = 0;

export const cacheSpool: Spool = async (response) => {
  const cache = await caches.open(CACHE);
  // A key of our own, under a host that never resolves: entries are only matched, never fetched.
  const key = `https://archivelens.invalid/download/${Date.now()}-${nextSpool++}`;
  const release = () => cache.delete(key).then(() => {});
  try {
    await cache.put(key, response);
    const stored = await cache.match(key);
    if (!stored) throw new Error('The download kept on disk is gone');
    return { response: stored, release };
  } catch (error) {
    await release().catch(() => {});
    throw error;
  }
};

/** Deletes what syncs that ended with the background (a browser closed mid-sync) left on disk. */
export async function clearSpooled(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(CACHE);
}
