// Where channels' usual text is found (db/boilerplate.ts): in Firefox's
// background page, each channel in a worker of its own, ended after it
// (engine/usual-text-worker.ts). Chrome's service worker cannot start a
// worker; there it is found in its own thread.
import type { Boilerplate } from '../core/boilerplate';
import { usualTextIn, usualTextOf, type UsualTextAsk } from '../db/boilerplate';
import { withOwnArchive } from '../db/schema';
import { inOwnWorker } from '../engine/own-worker';

/** `start` makes the worker (tests give a stand-in). */
export function usualTextInWorkers(start: () => Worker = () => new Worker(new URL('../engine/usual-text-worker.ts', import.meta.url), { type: 'module' })): void {
  if (typeof Worker === 'undefined') return;
  usualTextIn.worker = (dbName, channel, sample) => {
    const here = () => withOwnArchive(dbName, (db) => usualTextOf(db, channel, sample));
    return inOwnWorker<UsualTextAsk, Boilerplate>(start, { dbName, channel, sample }, here);
  };
}
