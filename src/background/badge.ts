// The toolbar badge: how many posts the tab's current video has. The
// background keeps which video each tab shows (from the content script's
// `navigated`, for every URL with a video: watch pages, Shorts, live) and only lets an answer for
// that video set the badge, so a late answer for the previous video, or a
// page the content script does not handle, never shows a stale count.
import browser from 'webextension-polyfill';
import { videoIdFromUrl, type VideoId } from '../core/youtube';

const shown = new Map<number, VideoId | null>();

async function setBadge(tabId: number, count: number | null): Promise<void> {
  const text = count && count > 0 ? String(count > 99 ? '99+' : count) : '';
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color: '#3b6db3' });
    await browser.action.setBadgeText({ tabId, text });
  } catch {
    // The tab closed in the meantime: nothing to show.
  }
}

/** The tab now shows this URL: the old count goes at once; returns the video to count, if any. */
export function tabNavigated(tabId: number, url: string): VideoId | null {
  const videoId = videoIdFromUrl(url);
  if (shown.get(tabId) !== videoId || videoId === null) void setBadge(tabId, null);
  shown.set(tabId, videoId);
  return videoId;
}

/** An answer for a video: shown only if the tab still shows that video. */
export function countFor(tab: { id?: number; url?: string } | undefined, videoId: VideoId, count: number): void {
  if (tab?.id === undefined) return;
  // A worker that restarted has not seen the tab navigate: the sender's URL says what it shows.
  if (!shown.has(tab.id) && tab.url) shown.set(tab.id, videoIdFromUrl(tab.url));
  if (shown.get(tab.id) === videoId) void setBadge(tab.id, count);
}

export function tabClosed(tabId: number): void {
  shown.delete(tabId);
}
