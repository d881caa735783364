// The title and description YouTube shows now, for comparing with the
// archived post (core/text-diff.ts). YouTube's own data first: the player
// response has the whole description even while the page shows it collapsed
// (then `#expanded` is empty until the reader opens it). The DOM, through the
// selectors module, is the fallback where the data cannot be had.
import { observe } from './dom';
import type { PageBridge } from './page-bridge';
import type { PlayerDetails } from '../page-world/player-data';
import { CURRENT_DESCRIPTION, CURRENT_TITLE, WATCH_METADATA, watchFlexyFor } from './selectors';

import type { CurrentText } from './panel/Panel';

/** What the DOM of this video's page shows: the title, and the description only when the page holds all of it. */
export function readCurrentText(videoId: string): CurrentText {
  // Only the page of this video: during navigation the previous one's text is still there,
  // and pages visited earlier stay in the DOM, hidden, with their own titles.
  const flexy = document.querySelector(watchFlexyFor(videoId));
  if (!flexy) return { title: null, description: null };
  const title = flexy.querySelector(CURRENT_TITLE)?.textContent?.trim() || null;
  const description = flexy.querySelector(CURRENT_DESCRIPTION)?.textContent?.trim() || null;
  return { title, description, source: 'dom' };
}

function fromDetails(details: PlayerDetails): CurrentText {
  return { title: details.title?.trim() || null, description: details.description?.trim() || null, source: 'data' };
}

/**
 * Calls `onChange` with what YouTube shows now for `videoId`, and again when
 * it learns more (the player data arrives after navigation, or YouTube fills
 * the metadata in); until `signal` aborts.
 */
export function watchCurrentText(videoId: string, bridge: PageBridge, onChange: (text: CurrentText) => void, signal: AbortSignal): void {
  let last = '';
  let fromData = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const report = (text: CurrentText) => {
    if (signal.aborted) return;
    const key = `${text.title}\u0000${text.description}`;
    if (key === last) return;
    last = key;
    onChange(text);
  };
  const useDetails = (details: PlayerDetails | null) => {
    if (!details || signal.aborted || (details.title === null && details.description === null)) return false;
    fromData = true;
    report(fromDetails(details));
    return true;
  };
  const look = () => {
    timer = null;
    if (fromData) return;
    void bridge.details(videoId, signal).then((details) => {
      if (!useDetails(details) && !fromData) report(readCurrentText(videoId));
    });
  };
  bridge.onNews((status, details) => {
    if (status.videoId === videoId) useDetails(details);
  }, signal);
  look();
  const metadata = document.querySelector(`${watchFlexyFor(videoId)} ${WATCH_METADATA}`) ?? document.querySelector(WATCH_METADATA);
  if (!metadata) return;
  observe(metadata, { childList: true, subtree: true, characterData: true }, () => {
    if (!fromData) timer ??= setTimeout(look, 200);
  }, signal);
  signal.addEventListener('abort', () => timer && clearTimeout(timer), { once: true });
}
