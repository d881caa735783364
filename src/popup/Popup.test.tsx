// @vitest-environment happy-dom
// The popup tells the reader when the panel could not find its place on the
// tab's page (the content script says so), and says nothing of it otherwise.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import browser from 'webextension-polyfill';
import { Popup } from './Popup';
import { preactRoot } from '../../test/support/preact-root';
import { resetFakeBrowser, setResponder } from '../../test/support/fake-browser';
import type { LookupResult } from '../shared/messages';

const VIDEO = '-VWLP6-06Jc';
const mounted = preactRoot();

async function popupOver(layout: 'recognised' | 'unrecognised' | null): Promise<Element> {
  resetFakeBrowser();
  vi.spyOn(browser.tabs, 'query').mockResolvedValue([{ id: 7, url: `https://www.youtube.com/watch?v=${VIDEO}` }] as never);
  vi.spyOn(browser.tabs, 'sendMessage').mockImplementation(async (tabId: number, message: unknown) => {
    expect(tabId).toBe(7);
    expect(message).toEqual({ type: 'pageStatus' });
    // No content script in the tab: the message is not answered.
    if (layout === null) throw new Error('Could not establish connection. Receiving end does not exist.');
    return { layout };
  });
  const lookup: LookupResult = { videoId: VIDEO, archived: [], mentioned: [] };
  setResponder((message) => {
    const type = (message as { type: string }).type;
    if (type === 'lookup') return { ok: true, value: lookup };
    if (type === 'stats') return { ok: true, value: { posts: 1, videos: 1, channels: 1, sources: [], importing: false } };
    return { ok: true, value: {} };
  });
  await act(async () => render(<Popup />, mounted.current));
  // The tab's state, then the lookup: a few turns of the event loop.
  for (let i = 0; i < 5; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
  return mounted.current;
}

afterEach(() => vi.restoreAllMocks());

describe("the popup, over a watch page", () => {
  it('says the panel floats when the page had none of the places it knows', async () => {
    const note = (await popupOver('unrecognised')).querySelector('[role="note"]');
    expect(note?.textContent).toContain('does not recognise');
    expect(note?.textContent).toContain('floats over');
  });

  it('says nothing of the layout when the panel found its place, or when the tab has no content script', async () => {
    for (const layout of ['recognised', null] as const) {
      const root = await popupOver(layout);
      expect(root.textContent).toContain('This video is not in the archive');
      expect(root.querySelector('[role="note"]')).toBeNull();
      expect(root.textContent).not.toContain('does not recognise');
    }
  });
});
