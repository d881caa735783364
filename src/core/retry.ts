// When a sync that failed for a reason that may pass (the network, a server's
// error, a download cut short, or an error nobody expected) is tried again by
// itself: later each time, and not at all after a few tries, so a sync that
// cannot succeed stops asking its server at every start of the browser.

/** Waits before the 2nd, 3rd, … try: 1 minute, 5, 30, 2 hours. */
export const RETRY_AFTER_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** Tries in all, the first included, before ArchiveLens gives up and leaves the archive as it was. */
export const MAX_TRIES = RETRY_AFTER_MS.length + 1;

/** When to try again after `failures` failed tries (the latest at `now`), or null: give up. */
export function nextTry(failures: number, now: number): number | null {
  if (failures >= MAX_TRIES) return null;
  return now + RETRY_AFTER_MS[Math.max(0, failures - 1)]!;
}
