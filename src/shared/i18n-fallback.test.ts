// A page whose browser gives no messages (Chromium's per-process table came back
// empty) reads its locale files and shows text, never message keys.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { ensureMessages, t, tCount } from './i18n';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('messages when the browser gives none', () => {
  it('are read from the locale files of the UI language before the page renders', async () => {
    vi.spyOn(browser.i18n, 'getMessage').mockReturnValue('');
    vi.spyOn(browser.i18n, 'getUILanguage').mockReturnValue('zh-TW');
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      const locale = /_locales\/([^/]+)\//.exec(url)![1]!;
      try {
        return new Response(readFileSync(new URL(`../../public/_locales/${locale}/messages.json`, import.meta.url)));
      } catch {
        return new Response('', { status: 404 });
      }
    });
    expect(t('popupTitle')).toBe('popupTitle');
    await ensureMessages();
    expect(asked.map((u) => u.replace(/^.*_locales\//, ''))).toEqual(['zh_TW/messages.json', 'zh/messages.json', 'en/messages.json']);
    const zhTW = JSON.parse(readFileSync(new URL('../../public/_locales/zh_TW/messages.json', import.meta.url), 'utf8'));
    expect(t('popupTitle')).toBe(zhTW.popupTitle.message);
    expect(tCount('markLabel', 3)).toBe(zhTW.markLabel.message.replace(/\$COUNT\$/i, '3'));
  });

  it('are left to the browser when it has them', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    await ensureMessages();
    expect(fetch).not.toHaveBeenCalled();
    expect(t('optionsArchive')).toBe('Stored archive');
  });
});
