// Which Short is playing. YouTube preloads the neighbours of the playing
// Short, and its 2026 layout marks none of them `is-active`: the playing reel
// is the one that holds the Shorts player, else the one marked, else the one
// in view. A reel whose own links or poster name another video is never it.
import { SHORT_ACTIVE_ATTRIBUTE, SHORT_REEL, SHORT_REEL_ID_HINTS, SHORTS_PLAYER } from './selectors';

const ID_IN_HINT = /(?:\/shorts\/|\/vi(?:_webp)?\/)([A-Za-z0-9_-]{11})/;

/** The video a reel's own links or poster name, if any (our own chip inside it is not the reel's). */
function namedVideo(reel: Element): string | null {
  for (const hint of reel.querySelectorAll(SHORT_REEL_ID_HINTS)) {
    const match = ID_IN_HINT.exec(hint.getAttribute('href') ?? hint.getAttribute('src') ?? '');
    if (match) return match[1]!;
  }
  return null;
}

/** How much of the viewport's height the element covers (0 when out of view or not displayed). */
function shareInView(element: Element): number {
  const rect = element.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return 0;
  const top = Math.max(0, rect.top);
  const bottom = Math.min(innerHeight, rect.bottom);
  return Math.max(0, bottom - top) / Math.max(1, innerHeight);
}

/** The reel of `videoId` now playing, or null when the page shows none yet. */
export function activeShort(videoId: string, root: ParentNode = document): Element | null {
  const reels = [...root.querySelectorAll(SHORT_REEL)].filter((reel) => {
    const named = namedVideo(reel);
    return named === null || named === videoId;
  });
  if (reels.length === 0) return null;
  const byName = reels.find((reel) => namedVideo(reel) === videoId);
  if (byName) return byName;
  const withPlayer = reels.find((reel) => reel.querySelector(SHORTS_PLAYER));
  if (withPlayer) return withPlayer;
  const marked = reels.find((reel) => reel.hasAttribute(SHORT_ACTIVE_ATTRIBUTE));
  if (marked) return marked;
  let best: Element | null = null;
  let bestShare = 0.5; // at least half the viewport: a reel scrolled half away is not playing
  for (const reel of reels) {
    const share = shareInView(reel);
    if (share > bestShare) [best, bestShare] = [reel, share];
  }
  return best;
}
