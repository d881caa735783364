// Whether a reader is waiting on the background: work that can wait (the
// search index's merge after a sync, channels' usual text) runs between
// readers' requests, never in their way. After a sync of society ×32 the
// merge ran in steps of 5 s without a break, and the popup's first request
// waited that long.

/** A reader is waiting on an answer when a request came in this recently. */
export const QUIET_MS = 400;
let lastRequestAt = -Infinity;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request came in (router.ts, for every message it answers). */
export function readerAsked(): void {
  lastRequestAt = performance.now();
}

/** Whether a reader asked within QUIET_MS: work that only readies the next request gives way. */
export function readerWaiting(): boolean {
  return performance.now() - lastRequestAt < QUIET_MS;
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
