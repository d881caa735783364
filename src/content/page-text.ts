// The title and description YouTube shows now, read through the selectors
// module, for comparing with the archived post (core/text-diff.ts).
import { observe } from './dom';
import { CURRENT_DESCRIPTION, CURRENT_TITLE, WATCH_METADATA, watchFlexyFor } from './selectors';

import type { CurrentText } from './panel/Panel';

export function readCurrentText(videoId: string): CurrentText {
  // Only the page of this video: during navigation the previous one's text is still there.
  if (!document.querySelector(watchFlexyFor(videoId))) return { title: null, description: null };
  const title = document.querySelector(CURRENT_TITLE)?.textContent?.trim() || null;
  const description = document.querySelector(CURRENT_DESCRIPTION)?.textContent?.trim() || null;
  return { title, description };
}

/** Calls `onChange` when the metadata under the player changes (YouTube fills it in after navigation); until `signal` aborts. */
export function watchCurrentText(videoId: string, onChange: (text: CurrentText) => void, signal: AbortSignal): void {
  let last = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  const report = () => {
    timer = null;
    const text = readCurrentText(videoId);
    const key = `${text.title}\u0000${text.description}`;
    if (key === last) return;
    last = key;
    onChange(text);
  };
  report();
  const metadata = document.querySelector(WATCH_METADATA);
  if (!metadata) return;
  observe(metadata, { childList: true, subtree: true, characterData: true }, () => {
    timer ??= setTimeout(report, 200);
  }, signal);
  signal.addEventListener('abort', () => timer && clearTimeout(timer), { once: true });
}
