// The content script on YouTube: follows navigation, confirms the page shows
// the video, asks the background what the archive holds and shows the panel.
// One panel per tab; one AbortController per video.
import browser from 'webextension-polyfill';
import { isWatchPage, videoIdFromUrl, type VideoId } from '../core/youtube';
import { ask } from '../shared/client';
import { describeError } from '../shared/i18n';
import { loadSettings, saveSettings } from '../shared/settings';
import { waitForElement } from './dom';
import { onNavigation } from './navigation';
import { PANEL_TAG, PanelHost } from './panel-host';
import { watchFlexyFor } from './selectors';

// An updated or reloaded extension injects a new content script into tabs
// that still run the old one: the old one steps aside. The page can see and
// dispatch this event too, so it is only a nudge: a script steps aside only
// when its own extension context is gone (browser.runtime.id is then
// undefined), which no page can fake. A live script ignores it.
const TAKEOVER_EVENT = 'archivelens:takeover';
document.dispatchEvent(new CustomEvent(TAKEOVER_EVENT));
for (const stale of document.querySelectorAll(PANEL_TAG)) stale.remove();

const lifetime = new AbortController();
let video: { id: VideoId | null; controller: AbortController } = { id: null, controller: new AbortController() };

const panel = new PanelHost(false, (panelCollapsed) => {
  void saveSettings({ panelCollapsed }).catch(() => {});
});

function shutdown(): void {
  lifetime.abort();
  video.controller.abort();
  panel.detach();
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
  try {
    // The URL changes before the DOM does: wait until the page shows this video.
    await waitForElement(watchFlexyFor(videoId), signal);
    panel.attach(signal);
    panel.update({ status: 'loading', videoId });
    const result = await ask('lookup', { videoId });
    if (!signal.aborted) panel.update({ status: 'ready', videoId, result });
  } catch (error) {
    if (signal.aborted) return;
    if (!browser.runtime?.id) return shutdown(); // the extension was removed or reloaded
    panel.update({ status: 'error', videoId, message: describeError(error) });
  }
}

void loadSettings().then((settings) => {
  if (lifetime.signal.aborted) return;
  panel.setCollapsed(settings.panelCollapsed);
  onNavigation(handleUrl, lifetime.signal);
  handleUrl(location.href);
});
