// What the content script shows for one video, by page kind: the panel
// beside the player (or, when YouTube cannot play it, the archived post where
// the player was), the panel under the video on m.youtube.com, and a compact
// panel on Shorts. Each view lives until its video's AbortSignal aborts.
import browser from 'webextension-polyfill';
import type { VideoId } from '../core/youtube';
import { ask } from '../shared/client';
import { describeError } from '../shared/i18n';
import { saveSettings } from '../shared/settings';
import type { TextActions } from '../ui/RichText';
import { waitForElement, waitUntil } from './dom';
import { GoneHost } from './gone/gone-host';
import type { GoneState } from './gone/GoneView';
import { whenGone } from './gone-watch';
import { pageSettled } from './navigation';
import { PageBridge } from './page-bridge';
import { watchCurrentText } from './page-text';
import { ANCHOR_WAIT_MS, PanelHost } from './panel-host';
import { activeShort } from './active-short';
import { MOBILE_APP, MOBILE_METADATA, NAVIGATE_FINISH_EVENTS, SHORT_ACTIVE_ATTRIBUTE, SHORTS_ROOT, watchFlexyFor } from './selectors';
import { ShortsHost } from './shorts-host';
import type { CurrentText } from './panel/Panel';
import { withBoilerplate } from '../shared/boilerplate';
import type { LookupResult } from '../shared/messages';

type Lookup = ReturnType<typeof ask<'lookup'>>;

/** m.youtube.com's page (or a Short's swipe) may never settle: stop looking after this. */
const MOBILE_WAIT_MS = 15_000;
const SHORTS_WAIT_MS = 15_000;

/** Calls `then` with the result's posts folded (their channels' usual text), unless `signal` aborted meanwhile. */
function laterWithBoilerplate(result: LookupResult, signal: AbortSignal, then: (folded: LookupResult) => void): void {
  if (result.archived.length + result.mentioned.length === 0) return;
  withBoilerplate(result).then((folded) => {
    if (!signal.aborted) then(folded);
  }, () => {});
}

export class VideoViews {
  readonly panel: PanelHost;
  private readonly gone: GoneHost;
  private readonly short: ShortsHost;
  // Made on the first video: the background injects the page-world script then.
  private bridge: PageBridge | null = null;
  private readonly settled: () => boolean;

  constructor(private readonly lifetime: AbortSignal, private readonly shutdown: () => void) {
    // Times in a post of the video being played seek it (from the page's world);
    // hashtags open the library on that search, when the reader clicked one (the page
    // can call .click() on our buttons: it must not open tabs); YouTube links stay in this tab.
    const actions: TextActions = {
      seek: (seconds) => void this.bridge?.seek(seconds),
      hashtag: (tag, trusted) => void (trusted && ask('openLibrary', { query: tag }).catch(() => {})),
      youtubeInPlace: true,
    };
    this.panel = new PanelHost(false, (panelCollapsed) => {
      void saveSettings({ panelCollapsed }).catch(() => {});
    }, actions);
    this.gone = new GoneHost(actions);
    this.short = new ShortsHost(actions);
    this.settled = pageSettled(lifetime);
  }

  detach(): void {
    this.panel.detach();
    this.gone.detach();
    this.short.detach();
  }

  private pageBridge(): PageBridge {
    return (this.bridge ??= new PageBridge(this.lifetime));
  }

  async showVideo(videoId: VideoId, signal: AbortSignal): Promise<void> {
    const lookup = ask('lookup', { videoId });
    lookup.catch(() => {}); // answered where it is awaited
    // Waiting for the watch page ends when the page turns out to be an error page.
    const waiting = new AbortController();
    signal.addEventListener('abort', () => waiting.abort(), { once: true });
    void whenGone(videoId, this.pageBridge(), this.settled, signal).then((sign) => {
      waiting.abort();
      this.panel.detach();
      this.gone.element.dataset.detectedBy = sign;
      void this.showGone(videoId, lookup, signal);
    });
    try {
      // The URL changes before the DOM does: wait until the page shows this video. A page
      // that never does (YouTube renamed its watch page) gets the panel floating over it.
      const shown = await Promise.race([
        waitForElement(watchFlexyFor(videoId), waiting.signal).then(() => true),
        new Promise<boolean>((resolve) => setTimeout(resolve, ANCHOR_WAIT_MS, false)),
      ]);
      // The page may have turned out to be an error page while this waited for its turn.
      if (waiting.signal.aborted) return;
      this.panel.attach(signal, !shown);
      this.panel.update({ status: 'loading', videoId });
      let result = await lookup;
      if (waiting.signal.aborted) return;
      let current: CurrentText | undefined;
      const show = () => this.panel.update({ status: 'ready', videoId, result, ...(current ? { current } : {}) });
      show();
      // Then the channel's usual text, folded, and what the page shows now against the newest archived version.
      laterWithBoilerplate(result, waiting.signal, (folded) => {
        result = folded;
        show();
      });
      if (result.archived.length) {
        watchCurrentText(videoId, this.pageBridge(), (now) => {
          current = now;
          show();
        }, waiting.signal);
      }
    } catch (error) {
      if (waiting.signal.aborted) return;
      if (!browser.runtime?.id) return this.shutdown(); // the extension was removed or reloaded
      this.panel.update({ status: 'error', videoId, message: describeError(error) });
    }
  }

  /** YouTube cannot play the video: its archived post goes where the player would be. */
  private async showGone(videoId: VideoId, lookup: Lookup, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.gone.attach(signal);
    await this.present((state) => this.gone.update(state), videoId, lookup, signal);
  }

  /** Shows a lookup: loading, the result, then the result with its channels' usual text folded; a failure as its message. */
  private async present(update: (state: GoneState) => void, videoId: VideoId, lookup: Lookup, signal: AbortSignal): Promise<void> {
    update({ status: 'loading', videoId });
    try {
      const result = await lookup;
      if (signal.aborted) return;
      update({ status: 'ready', videoId, result });
      laterWithBoilerplate(result, signal, (folded) => update({ status: 'ready', videoId, result: folded }));
    } catch (error) {
      if (signal.aborted) return;
      if (!browser.runtime?.id) return this.shutdown();
      update({ status: 'error', videoId, message: describeError(error) });
    }
  }

  /** m.youtube.com: no video-id in the DOM; the page shows this video once its navigation has finished. */
  async showMobileVideo(videoId: VideoId, signal: AbortSignal): Promise<void> {
    this.panel.detach();
    const lookup = ask('lookup', { videoId });
    lookup.catch(() => {});
    try {
      const root = document.querySelector(MOBILE_APP) ?? document.body;
      await waitUntil(() => (this.settled() ? document.querySelector(MOBILE_METADATA) : null), root, signal, MOBILE_WAIT_MS);
    } catch {
      // The page never showed the video (or it was left): nothing to show.
      if (!signal.aborted && !browser.runtime?.id) this.shutdown();
      return;
    }
    this.panel.attach(signal);
    await this.present((state) => this.panel.update(state), videoId, lookup, signal);
  }

  /** A Short: a compact panel over the active one, only when the archive knows the video. */
  async showShort(videoId: VideoId, signal: AbortSignal): Promise<void> {
    this.panel.detach();
    this.pageBridge(); // times in its post seek the Short's player
    try {
      const lookup = ask('lookup', { videoId });
      lookup.catch(() => {});
      // The URL changes before the swipe settles: until YouTube has finished this
      // navigation, the active renderer may still be the previous Short's.
      const root = document.querySelector(SHORTS_ROOT) ?? document.body;
      await waitUntil(() => (this.settled() ? activeShort(videoId) : null), root, signal, SHORTS_WAIT_MS, {
        attributeFilter: [SHORT_ACTIVE_ATTRIBUTE],
        events: NAVIGATE_FINISH_EVENTS,
      });
      const result = await lookup;
      if (signal.aborted || (result.archived.length === 0 && result.mentioned.length === 0)) return;
      this.short.show({ status: 'ready', videoId, result }, signal);
      laterWithBoilerplate(result, signal, (folded) => this.short.show({ status: 'ready', videoId, result: folded }, signal));
    } catch {
      if (!signal.aborted && !browser.runtime?.id) this.shutdown();
    }
  }
}
