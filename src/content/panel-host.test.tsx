// @vitest-environment happy-dom
// The panel leaves nothing behind when the video changes: every observer it
// made is disconnected when the video's AbortSignal aborts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANCHOR_WAIT_MS, PanelHost } from './panel-host';
import { pageNames } from './page-names';

let live = 0;
const Native = globalThis.MutationObserver;
class CountingObserver extends Native {
  private on = false;
  override observe(target: Node, options?: MutationObserverInit) {
    if (!this.on) live++;
    this.on = true;
    super.observe(target, options);
  }
  override disconnect() {
    if (this.on) live--;
    this.on = false;
    super.disconnect();
  }
}

function youtubePage() {
  document.body.innerHTML = `
    <ytd-watch-flexy video-id="-VWLP6-06Jc" is-two-columns_>
      <div id="below"><ytd-watch-metadata></ytd-watch-metadata></div>
      <div id="secondary"><div id="secondary-inner"><div id="related"></div></div></div>
    </ytd-watch-flexy>`;
  // happy-dom has no layout: say the column is displayed.
  const inner = document.querySelector('#secondary-inner')!;
  inner.getClientRects = () => [{}] as unknown as DOMRectList;
}

beforeEach(() => {
  live = 0;
  vi.stubGlobal('MutationObserver', CountingObserver);
  youtubePage();
});
afterEach(() => vi.unstubAllGlobals());

describe('the panel host', () => {
  it('places one panel first in the column, and disconnects every observer when the video ends', async () => {
    const host = new PanelHost(false, () => {});
    for (let i = 0; i < 20; i++) {
      const video = new AbortController();
      host.attach(video.signal);
      host.update({ status: 'ready', videoId: '-VWLP6-06Jc', result: { videoId: '-VWLP6-06Jc', archived: [], mentioned: [] } });
      expect(live).toBeGreaterThan(0);
      video.abort();
      expect(live).toBe(0);
    }
    expect(document.querySelectorAll(pageNames.panel)).toHaveLength(1);
    expect(document.querySelector('#secondary-inner')!.firstElementChild!.tagName.toLowerCase()).toBe(pageNames.panel);
  });

  it('follows the page theme', async () => {
    const host = new PanelHost(false, () => {});
    const video = new AbortController();
    host.attach(video.signal);
    expect(host.element.dataset.theme).toBe('light');
    document.documentElement.setAttribute('dark', '');
    await new Promise((r) => setTimeout(r, 0));
    expect(host.element.dataset.theme).toBe('dark');
    video.abort();
    document.documentElement.removeAttribute('dark');
  });

  it('is removed with its content on pages that are not videos', () => {
    const host = new PanelHost(false, () => {});
    const video = new AbortController();
    host.attach(video.signal);
    host.update({ status: 'loading', videoId: '-VWLP6-06Jc' });
    video.abort();
    host.detach();
    expect(document.querySelector(pageNames.panel)).toBeNull();
    expect(host.root.textContent).not.toContain('Looking');
  });

  it('floats over the page when YouTube shows none of its spots for 5 s, and settles in one when it appears', async () => {
    vi.useFakeTimers();
    try {
      // A watch page renamed: no ytd-watch-flexy, no columns the panel knows.
      document.body.innerHTML = '<ytd-watch-grid video-id="-VWLP6-06Jc"><div id="columns-2026"></div></ytd-watch-grid>';
      const host = new PanelHost(false, () => {});
      const video = new AbortController();
      host.attach(video.signal);
      expect(host.element.isConnected).toBe(false);
      vi.advanceTimersByTime(ANCHOR_WAIT_MS - 1);
      expect(host.floating).toBe(false);
      vi.advanceTimersByTime(1);
      expect(host.floating).toBe(true);
      expect(host.element.parentElement).toBe(document.body);
      // The page gets a column the panel knows, and the window is resized: the panel moves there.
      youtubePage();
      document.body.append(host.element);
      window.dispatchEvent(new Event('resize'));
      vi.advanceTimersByTime(200);
      expect(host.floating).toBe(false);
      expect(document.querySelector('#secondary-inner')!.firstElementChild).toBe(host.element);
      video.abort();
    } finally {
      vi.useRealTimers();
    }
  });
});
