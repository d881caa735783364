// The content script on YouTube: follows navigation, confirms the page shows
// the video, asks the background what the archive holds and shows it: the
// panel beside the player (under it on m.youtube.com), the archived post in
// place of the player when YouTube cannot play the video, a compact panel on
// Shorts, and marks on thumbnails. One AbortController per video.
import browser from 'webextension-polyfill';
import { parseVideoUrl, videoIdFromUrl } from '../core/youtube';
import { ask } from '../shared/client';
import type { PageStatus, TabMessage } from '../shared/messages';
import { loadSettings } from '../shared/settings';
import { MarksSetting } from './marks/marks-setting';
import { onNavigation } from './navigation';
import { loadPageNames, ourElements, type PageNames } from './page-names';
import { VideoViews } from './video-views';

// Nothing is put on the page before this install's names are known.
void loadPageNames().then(start, (e: unknown) => console.error('ArchiveLens: could not start on this page', e));

function start(names: PageNames): void {
  // An updated or reloaded extension injects a new content script into tabs
  // that still run the old one: the old one steps aside. The event's name is
  // this install's own (page-names.ts); even a page that learnt it could only
  // nudge: a script steps aside only when its own extension context is gone
  // (browser.runtime.id is then undefined), which no page can fake.
  document.dispatchEvent(new CustomEvent(names.takeover));
  for (const stale of document.querySelectorAll(ourElements())) stale.remove();
  for (const hidden of document.querySelectorAll<HTMLElement>(`[${names.hidden}]`)) hidden.hidden = false;

  const lifetime = new AbortController();
  /** What the page shows: a video (`watch:ID`), a Short (`shorts:ID`), or something else (null). */
  let video: { key: string | null; controller: AbortController } = { key: null, controller: new AbortController() };
  const MOBILE = location.hostname === 'm.youtube.com';

  const views = new VideoViews(lifetime.signal, shutdown);
  const marks = new MarksSetting(lifetime.signal);

  function shutdown(): void {
    lifetime.abort();
    video.controller.abort();
    views.detach();
  }
  document.addEventListener(names.takeover, () => {
    if (!contextAlive()) shutdown();
  }, { signal: lifetime.signal });

  function contextAlive(): boolean {
    try {
      return Boolean(browser.runtime?.id);
    } catch {
      return false;
    }
  }

  /** The video last told to the background (undefined: nothing told yet). */
  let toldVideo: string | null | undefined;

  /** Tells the background what the page shows, once per change of video, so the toolbar badge follows it. */
  function tellBackground(url: string): void {
    const videoId = videoIdFromUrl(url);
    if (videoId === toldVideo) return;
    toldVideo = videoId;
    void ask('navigated', { url }).catch(() => {
      // The background is updating or gone: the badge is only a hint.
    });
  }

  function handleUrl(url: string): void {
    tellBackground(url);
    const parsed = parseVideoUrl(url);
    const kind = parsed?.kind === 'watch' || parsed?.kind === 'shorts' ? parsed.kind : null;
    const key = kind && parsed ? `${kind}:${parsed.id}` : null;
    if (key === video.key) return;
    video.controller.abort();
    video = { key, controller: new AbortController() };
    if (!kind || !parsed) return views.panel.detach();
    const signal = video.controller.signal;
    if (kind === 'shorts') void views.showShort(parsed.id, signal);
    else if (MOBILE) void views.showMobileVideo(parsed.id, signal);
    else void views.showVideo(parsed.id, signal);
  }

  // The keyboard shortcut (commands), relayed by the background to this tab.
  // The popup asks whether the page was recognised.
  const onTabMessage = (message: unknown): Promise<PageStatus> | undefined => {
    const type = (message as TabMessage | null)?.type;
    if (type === 'togglePanel') views.panel.toggleCollapsed();
    if (type === 'pageStatus') return Promise.resolve({ layout: !video.key ? 'no-video' : views.panel.floating ? 'unrecognised' : 'recognised' });
    return undefined;
  };
  browser.runtime.onMessage.addListener(onTabMessage);
  lifetime.signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(onTabMessage), { once: true });

  void loadSettings().then((settings) => {
    if (lifetime.signal.aborted) return;
    views.panel.setCollapsed(settings.panelCollapsed);
    marks.set(settings.markThumbnails);
    onNavigation((url) => {
      handleUrl(url);
      marks.navigated();
    }, lifetime.signal);
    handleUrl(location.href);
  });
}
