// Tells when the page shows that YouTube cannot play a video: from YouTube's
// own player data through the page-world script, with the DOM (the error
// screen, the promo screen of deleted videos) as a fallback. Never by the
// error's text (it is translated), never for YouTube's ad-block wall.
import { isDisplayed } from './dom';
import { isGoneStatus, type PageBridge } from './page-bridge';
import { ADBLOCK_WALL, DELETED_PROMO, ERROR_SCREEN, GONE_ATTRIBUTES, NAVIGATE_FINISH_EVENTS, PAGE_MANAGER, PLAYER_UNAVAILABLE_ATTRIBUTE, WATCH_FLEXY } from './selectors';

/** How long a page is watched for signs of a gone video: YouTube decides within a few seconds. */
const WATCH_MS = 20_000;
/** Mutations come in bursts: check at most this often. */
const CHECK_EVERY_MS = 50;

/** Why a page was taken for a gone video's (kept on the view as `data-detected-by`, for bug reports). */
export type GoneSign = 'player-data' | 'error-screen' | 'promo-screen';

/** What the DOM alone says: the error screen for this video, or the promo screen of a deleted one. */
export function domSaysGone(videoId: string): boolean {
  return domSign(videoId) !== null;
}

function domSign(videoId: string): GoneSign | null {
  for (const flexy of document.querySelectorAll(WATCH_FLEXY)) {
    if (!flexy.hasAttribute(PLAYER_UNAVAILABLE_ATTRIBUTE) || !isDisplayed(flexy)) continue;
    // A stale page of the previous video says nothing about this one.
    const shown = flexy.getAttribute('video-id');
    if (shown && shown !== videoId) continue;
    const screen = flexy.querySelector(ERROR_SCREEN);
    if (screen && isDisplayed(screen) && !screen.querySelector(ADBLOCK_WALL)) return 'error-screen';
  }
  const promo = document.querySelector(DELETED_PROMO);
  if (promo && isDisplayed(promo)) {
    // Unless a watch page on screen shows another video (pages visited earlier stay hidden in the DOM).
    const shown = [...document.querySelectorAll(WATCH_FLEXY)].filter(isDisplayed).map((f) => f.getAttribute('video-id'));
    if (shown.every((id) => !id || id === videoId)) return 'promo-screen';
  }
  return null;
}

/**
 * Resolves when the page shows that `videoId` is gone; never resolves when it
 * plays (YouTube's data says OK) or when nothing is decided within WATCH_MS.
 * The DOM is only read once `settled()` says the page shows this URL.
 * Everything it watches ends with `signal`.
 */
export function whenGone(videoId: string, bridge: PageBridge, settled: () => boolean, signal: AbortSignal): Promise<GoneSign> {
  return new Promise((resolve) => {
    const watching = new AbortController();
    signal.addEventListener('abort', () => watching.abort(), { once: true });
    const decided = (sign: GoneSign | null) => {
      if (watching.signal.aborted) return;
      watching.abort();
      if (sign) resolve(sign);
    };
    const fromPlayer = (gone: boolean) => decided(gone ? 'player-data' : null);
    let scheduled = false;
    const check = async () => {
      scheduled = false;
      if (watching.signal.aborted) return;
      const status = await bridge.status(videoId, watching.signal);
      if (watching.signal.aborted) return;
      // YouTube's own data decides when the page has it (an age gate shows the
      // same error screen as a gone video); the DOM only when it does not.
      if (status?.status) return fromPlayer(isGoneStatus(status));
      // Until YouTube has finished showing this URL, the DOM is the previous page's
      // (the promo screen of a deleted video has no video-id to tell them apart).
      if (!settled()) return;
      const sign = domSign(videoId);
      if (sign) decided(sign);
    };
    const schedule = () => {
      if (scheduled || watching.signal.aborted) return;
      scheduled = true;
      setTimeout(() => void check(), CHECK_EVERY_MS);
    };
    bridge.onNews((status) => {
      if (status.videoId === videoId && status.status) fromPlayer(isGoneStatus(status));
    }, watching.signal);
    // The page manager holds both the watch page and the promo screen; its
    // subtree changes a lot while a page renders, so checks are batched, and
    // the observer ends once the page is decided (or after WATCH_MS).
    const root = document.querySelector(PAGE_MANAGER) ?? document.body ?? document.documentElement;
    for (const type of NAVIGATE_FINISH_EVENTS) document.addEventListener(type, schedule, { signal: watching.signal });
    const observer = new MutationObserver(schedule);
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: GONE_ATTRIBUTES });
    watching.signal.addEventListener('abort', () => observer.disconnect(), { once: true });
    const timer = setTimeout(() => decided(null), WATCH_MS);
    watching.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    void check();
  });
}
