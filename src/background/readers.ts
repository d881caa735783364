// Whether a reader is waiting on the background: work that can wait (the
// search index's merge after a sync, channels' usual text) runs between
// readers' requests, never in their way. After a sync of society ×32 the
// merge ran in steps of 5 s without a break, and the popup's first request
// waited that long.

/** A reader is waiting on an answer when a request came in this recently. */
export const QUIET_MS = 400;
let lastRequestAt = -Infinity;
/** Requests so far of each type, for work a request itself started (`askedSinceNow`). */
const asked = new Map<string, number>();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request came in (router.ts, for every message it answers). */
export function readerAsked(type = ''): void {
  lastRequestAt = performance.now();
  asked.set(type, (asked.get(type) ?? 0) + 1);
}

/** Whether a reader asked within QUIET_MS: work that only readies the next request gives way. */
export function readerWaiting(): boolean {
  return performance.now() - lastRequestAt < QUIET_MS;
}

/**
 * Whether a request of this type came in after this call: work a request
 * starts for the next one (the stats a page asks for as it opens readies
 * search) gives way to that one, where `readerWaiting` would stop it at once
 * (and the popup asks for a lookup as it asks for stats).
 */
export function askedSinceNow(type: string): () => boolean {
  const seen = asked.get(type) ?? 0;
  return () => (asked.get(type) ?? 0) > seen;
}

/**
 * Resolves once no request has come in for QUIET_MS (at once when none has).
 * `stop` is called before each wait and may throw to give up.
 */
export async function readersQuiet(stop: () => void = () => {}): Promise<void> {
  for (;;) {
    stop();
    const wait = lastRequestAt + QUIET_MS - performance.now();
    if (wait <= 0) return;
    await sleep(wait);
  }
}
