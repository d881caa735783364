// Counts read as English says them: "1 post", never "1 posts".
import browser from 'webextension-polyfill';
import { describe, expect, it, vi } from 'vitest';
import { countOf, formatBytes, formatDate, formatNumber, t, tCount } from './i18n';

describe('counts in messages', () => {
  it('say one in the singular and any other number in the plural', () => {
    expect(countOf('Posts', 1)).toBe('1 post');
    expect(countOf('Posts', 0)).toBe('0 posts');
    expect(countOf('Videos', 1_234)).toBe('1,234 videos');
    expect(countOf('Posts', 1, '≈')).toBe('≈1 posts'); // an estimate is not exactly one
    expect(t('popupArchiveSize', countOf('Posts', 1), countOf('Videos', 1), countOf('Channels', 1))).toBe('The archive holds 1 post of 1 video from 1 channel.');
    expect(t('popupArchiveSize', countOf('Posts', 3), countOf('Videos', 2), countOf('Channels', 1))).toBe('The archive holds 3 posts of 2 videos from 1 channel.');
    expect(t('popupResultsShown', countOf('Posts', 5_000, '≈'), '30')).toBe('≈5,000 posts found, the best 30 shown');
    expect(t('changesEdited', countOf('Words', 1), '1')).toBe('1 word removed, 1 added');
  });

  it('pick the singular message where there is one', () => {
    expect(tCount('markLabel', 1)).toBe('1 archived post');
    expect(tCount('markLabel', 2)).toBe('2 archived posts');
    expect(tCount('panelMentionedOnly', 1)).toBe('Mentioned in 1 archived post');
    expect(tCount('optionsFailures', 1)).toBe('1 file could not be read');
    expect(tCount('optionsFailures', 12)).toBe('12 files could not be read');
  });
});

describe('dates and numbers', () => {
  it('read in the UI language, each language its own (formatters are kept per language and options)', () => {
    expect(formatDate('2024-05-03T12:00:00Z')).toBe('May 3, 2024');
    expect(formatDate('2024-05-03T12:00:00Z', true)).toMatch(/^May 3, 2024, \d{1,2}:\d\d/);
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatBytes(85e6)).toBe('85 MB');
    expect(formatBytes(1.2e9)).toBe('1.2 GB');
    const language = vi.spyOn(browser.i18n, 'getUILanguage').mockReturnValue('zh-TW');
    try {
      expect(formatDate('2024-05-03T12:00:00Z')).toBe('2024年5月3日');
      expect(formatNumber(12345)).toBe('12,345');
    } finally {
      language.mockRestore();
    }
    expect(formatDate('2024-05-03T12:00:00Z')).toBe('May 3, 2024');
  });

  it('show a date that cannot be read as it was written', () => {
    expect(formatDate('2024-13-45')).toBe('2024-13-45');
  });
});
