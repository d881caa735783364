// The content script on YouTube: follows navigation, confirms the page shows
// the video, asks the background what the archive holds and shows it: the
// panel beside the player (under it on m.youtube.com), the archived post in
// place of the player when YouTube cannot play the video, a compact panel on
// Shorts, and marks on thumbnails. One AbortController per video.
import browser from 'webextension-polyfill';
import { parseVideoUrl, type VideoId } from '../core/youtube';
import { ask } from '../shared/client';
import { describeError } from '../shared/i18n';
import { loadSettings, saveSettings } from '../shared/settings';
import { waitForElement, waitUntil } from './dom';
import { GONE_TAG, GoneHost } from './gone/gone-host';
import { MARK_TAG, TITLE_TAG } from './marks/mark-elements';
import { MarksSetting } from './marks/marks-setting';
import { whenGone } from './gone-watch';
import { onNavigation, pageSettled } from './navigation';
import { PageBridge } from './page-bridge';
import { watchCurrentText } from './page-text';
import { PANEL_TAG, PanelHost } from './panel-host';
import { ACTIVE_SHORT, MOBILE_APP, MOBILE_METADATA, NAVIGATE_FINISH_EVENTS, SHORT_ACTIVE_ATTRIBUTE, SHORTS_ROOT, watchFlexyFor } from './selectors';
import { SHORT_TAG, ShortsHost } from './shorts-host';
import type { TextActions } from '../ui/RichText';
import type { TabMessage } from '../shared/messages';

// An updated or reloaded extension injects a new content script into tabs
// that still run the old one: the old one steps aside. The page can see and
// dispatch this event too, so it is only a nudge: a script steps aside only
// when its own extension context is gone (browser.runtime.id is then
// undefined), which no page can fake. A live script ignores it.
const TAKEOVER_EVENT = 'archivelens:takeover';
document.dispatchEvent(new CustomEvent(TAKEOVER_EVENT));
for (const stale of document.querySelectorAll(`${PANEL_TAG}, ${GONE_TAG}, ${SHORT_TAG}, ${MARK_TAG}, ${TITLE_TAG}`)) stale.remove();
for (const hidden of document.querySelectorAll<HTMLElement>('[data-archivelens-hidden]')) hidden.hidden = false;

const lifetime = new AbortController();
/** What the page shows: a video (`watch:ID`), a Short (`shorts:ID`), or something else (null). */
let video: { key: string | null; controller: AbortController } = { key: null, controller: new AbortController() };
const MOBILE = location.hostname === 'm.youtube.com';
/** m.youtube.com's page may never show the metadata (an error, a change of markup): stop looking after this. */
const MOBILE_WAIT_MS = 15_000;
const SHORTS_WAIT_MS = 15_000;

// Times in a post of the video being played seek it (from the page's world);
// hashtags open the library on that search; YouTube links stay in this tab.
const textActions: TextActions = {
  seek: (seconds) => void bridge?.seek(seconds),
  hashtag: (tag) => void ask('openLibrary', { query: tag }).catch(() => {}),
  youtubeInPlace: true,
};
const panel = new PanelHost(false, (panelCollapsed) => {
  void saveSettings({ panelCollapsed }).catch(() => {});
}, textActions);
const gone = new GoneHost(textActions);
const short = new ShortsHost(textActions);
const marks = new MarksSetting(lifetime.signal);
// Made on the first watch page: the background injects the page-world script then.
let bridge: PageBridge | null = null;
const settled = pageSettled(lifetime.signal);

function shutdown(): void {
  lifetime.abort();
  video.controller.abort();
  panel.detach();
  gone.detach();
  short.detach();
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
  const parsed = parseVideoUrl(url);
  const kind = parsed?.kind === 'watch' || parsed?.kind === 'shorts' ? parsed.kind : null;
  const key = kind && parsed ? `${kind}:${parsed.id}` : null;
  if (key === video.key) return;
  video.controller.abort();
  video = { key, controller: new AbortController() };
  if (!kind || !parsed) return panel.detach();
  const signal = video.controller.signal;
  if (kind === 'shorts') void showShort(parsed.id, signal);
  else if (MOBILE) void showMobileVideo(parsed.id, signal);
  else void showVideo(parsed.id, signal);
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
    if (waiting.signal.aborted) return;
    panel.update({ status: 'ready', videoId, result });
    // What the page shows now, against the newest archived version (the panel says what changed).
    if (result.archived.length) {
      watchCurrentText(videoId, (current) => panel.update({ status: 'ready', videoId, result, current }), waiting.signal);
    }
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

/** m.youtube.com: no video-id in the DOM; the page shows this video once its navigation has finished. */
async function showMobileVideo(videoId: VideoId, signal: AbortSignal): Promise<void> {
  panel.detach();
  const lookup = ask('lookup', { videoId });
  lookup.catch(() => {});
  try {
    const root = document.querySelector(MOBILE_APP) ?? document.body;
    await waitUntil(() => (settled() ? document.querySelector(MOBILE_METADATA) : null), root, signal, MOBILE_WAIT_MS);
    panel.attach(signal);
    panel.update({ status: 'loading', videoId });
    const result = await lookup;
    if (!signal.aborted) panel.update({ status: 'ready', videoId, result });
  } catch (error) {
    if (signal.aborted) return;
    if (!browser.runtime?.id) return shutdown();
    if (panel.element.isConnected) panel.update({ status: 'error', videoId, message: describeError(error) });
  }
}

/** A Short: a compact panel over the active one, only when the archive knows the video. */
async function showShort(videoId: VideoId, signal: AbortSignal): Promise<void> {
  panel.detach();
  bridge ??= new PageBridge(lifetime.signal);
  try {
    const lookup = ask('lookup', { videoId });
    lookup.catch(() => {});
    // The URL changes before the swipe settles: until YouTube has finished this
    // navigation, the active renderer may still be the previous Short's.
    const root = document.querySelector(SHORTS_ROOT) ?? document.body;
    await waitUntil(() => (settled() ? document.querySelector(ACTIVE_SHORT) : null), root, signal, SHORTS_WAIT_MS, {
      attributeFilter: [SHORT_ACTIVE_ATTRIBUTE],
      events: NAVIGATE_FINISH_EVENTS,
    });
    const result = await lookup;
    if (signal.aborted || (result.archived.length === 0 && result.mentioned.length === 0)) return;
    short.show({ status: 'ready', videoId, result }, signal);
  } catch {
    if (!signal.aborted && !browser.runtime?.id) shutdown();
  }
}

// The keyboard shortcut (commands), relayed by the background to this tab.
const onTabMessage = (message: unknown) => {
  if ((message as TabMessage | null)?.type === 'togglePanel') panel.toggleCollapsed();
};
browser.runtime.onMessage.addListener(onTabMessage);
lifetime.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onTabMessage), { once: true });

void loadSettings().then((settings) => {
  if (lifetime.signal.aborted) return;
  panel.setCollapsed(settings.panelCollapsed);
  marks.set(settings.markThumbnails);
  onNavigation((url) => {
    handleUrl(url);
    marks.navigated();
  }, lifetime.signal);
  handleUrl(location.href);
});
