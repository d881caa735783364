// The content script on YouTube: follows navigation, confirms the page shows
// the video, asks the background what the archive holds and shows the panel.
// One panel per tab; one AbortController per video.
import browser from 'webextension-polyfill';
import { isWatchPage, videoIdFromUrl, type VideoId } from '../core/youtube';
import { ask } from '../shared/client';
import { describeError } from '../shared/i18n';
import { loadSettings, saveSettings } from '../shared/settings';
import { waitForElement } from './dom';
import { GONE_TAG, GoneHost } from './gone/gone-host';
import { MARK_TAG, TITLE_TAG } from './marks/mark-elements';
import { ThumbnailMarks } from './marks/thumbnail-marks';
import { whenGone } from './gone-watch';
import { onNavigation, pageSettled } from './navigation';
import { PageBridge } from './page-bridge';
import { PANEL_TAG, PanelHost } from './panel-host';
import { watchFlexyFor } from './selectors';

// An updated or reloaded extension injects a new content script into tabs
// that still run the old one: the old one steps aside. The page can see and
// dispatch this event too, so it is only a nudge: a script steps aside only
// when its own extension context is gone (browser.runtime.id is then
// undefined), which no page can fake. A live script ignores it.
const TAKEOVER_EVENT = 'archivelens:takeover';
document.dispatchEvent(new CustomEvent(TAKEOVER_EVENT));
for (const stale of document.querySelectorAll(`${PANEL_TAG}, ${GONE_TAG}, ${MARK_TAG}, ${TITLE_TAG}`)) stale.remove();
for (const hidden of document.querySelectorAll<HTMLElement>('[data-archivelens-hidden]')) hidden.hidden = false;

const lifetime = new AbortController();
let video: { id: VideoId | null; controller: AbortController } = { id: null, controller: new AbortController() };

const panel = new PanelHost(false, (panelCollapsed) => {
  void saveSettings({ panelCollapsed }).catch(() => {});
});
const gone = new GoneHost();
// Made on the first watch page: the background injects the page-world script then.
let bridge: PageBridge | null = null;
const settled = pageSettled(lifetime.signal);

function shutdown(): void {
  lifetime.abort();
  video.controller.abort();
  panel.detach();
  gone.detach();
}
document.addEventListener(TAKEOVER_EVENT, () => {
  if (!contextAlive()) shutdown();
}, { signal: lifetime.signal });

function contextAlive(): boolean {
  try {
    return Boolean(browser.runtime?.id);
  } catch {
    return false;
  }
}

function handleUrl(url: string): void {
  const id = isWatchPage(url) ? videoIdFromUrl(url) : null;
  if (id === video.id) return;
  video.controller.abort();
  video = { id, controller: new AbortController() };
  if (id) void showVideo(id, video.controller.signal);
  else panel.detach();
}

async function showVideo(videoId: VideoId, signal: AbortSignal): Promise<void> {
  const lookup = ask('lookup', { videoId });
  lookup.catch(() => {}); // answered where it is awaited
  // Waiting for the watch page ends when the page turns out to be an error page.
  const waiting = new AbortController();
  signal.addEventListener('abort', () => waiting.abort(), { once: true });
  bridge ??= new PageBridge(lifetime.signal);
  void whenGone(videoId, bridge, settled, signal).then((sign) => {
    waiting.abort();
    panel.detach();
    gone.element.dataset.detectedBy = sign;
    void showGone(videoId, lookup, signal);
  });
  try {
    // The URL changes before the DOM does: wait until the page shows this video.
    await waitForElement(watchFlexyFor(videoId), waiting.signal);
    // The page may have turned out to be an error page while this waited for its turn.
    if (waiting.signal.aborted) return;
    panel.attach(signal);
    panel.update({ status: 'loading', videoId });
    const result = await lookup;
    if (!waiting.signal.aborted) panel.update({ status: 'ready', videoId, result });
  } catch (error) {
    if (waiting.signal.aborted) return;
    if (!browser.runtime?.id) return shutdown(); // the extension was removed or reloaded
    panel.update({ status: 'error', videoId, message: describeError(error) });
  }
}

/** YouTube cannot play the video: its archived post goes where the player would be. */
async function showGone(videoId: VideoId, lookup: ReturnType<typeof ask<'lookup'>>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  gone.attach(signal);
  gone.update({ status: 'loading', videoId });
  try {
    const result = await lookup;
    if (!signal.aborted) gone.update({ status: 'ready', videoId, result });
  } catch (error) {
    if (signal.aborted) return;
    if (!browser.runtime?.id) return shutdown();
    gone.update({ status: 'error', videoId, message: describeError(error) });
  }
}

// Marks on thumbnails, while the setting is on; the set of archived ids is
// checked for news (a sync in another tab) at most once a minute, on navigation.
let marks: { marker: ThumbnailMarks; controller: AbortController; refreshedAt: number } | null = null;
function setMarking(on: boolean): void {
  if (on === Boolean(marks)) return;
  if (!on) {
    marks!.controller.abort();
    marks = null;
    return;
  }
  const controller = new AbortController();
  lifetime.signal.addEventListener('abort', () => controller.abort(), { once: true });
  marks = { marker: new ThumbnailMarks(), controller, refreshedAt: Date.now() };
  void marks.marker.start(controller.signal);
}
function refreshMarks(): void {
  if (!marks || Date.now() - marks.refreshedAt < 60_000) return;
  marks.refreshedAt = Date.now();
  void marks.marker.refresh();
}
const onSettingsChanged = (changes: Record<string, browser.Storage.StorageChange>) => {
  if ('markThumbnails' in changes) setMarking(changes.markThumbnails!.newValue !== false);
};
browser.storage.onChanged.addListener(onSettingsChanged);
lifetime.signal.addEventListener('abort', () => browser.storage.onChanged.removeListener(onSettingsChanged), { once: true });

void loadSettings().then((settings) => {
  if (lifetime.signal.aborted) return;
  panel.setCollapsed(settings.panelCollapsed);
  setMarking(settings.markThumbnails);
  onNavigation((url) => {
    handleUrl(url);
    refreshMarks();
  }, lifetime.signal);
  handleUrl(location.href);
});
