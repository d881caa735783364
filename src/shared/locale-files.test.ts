// The locale files read as the browser reads them, for pages whose browser table came back empty.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatMessage, localeChain, mergeLocales, type LocaleFile } from './locale-files';

const read = (locale: string) => JSON.parse(readFileSync(new URL(`../../public/_locales/${locale}/messages.json`, import.meta.url), 'utf8')) as LocaleFile;

describe('messages from the locale files', () => {
  it('look in the UI language, its language, then the default, as the browser does', () => {
    expect(localeChain('zh-TW', 'en')).toEqual(['zh_TW', 'zh', 'en']);
    expect(localeChain('en-US', 'en')).toEqual(['en_US', 'en']);
    expect(localeChain('fr', 'en')).toEqual(['fr', 'en']);
    expect(localeChain('../../x', 'en')).toEqual(['en']);
  });

  it('format named placeholders and substitutions like i18n.getMessage', () => {
    const en = mergeLocales([read('en')]);
    expect(formatMessage(en.get('panelarchivedother'), ['12'])).toBe('12 archived posts');
    expect(formatMessage(en.get('extname'), [])).toBe('ArchiveLens');
    // A substitution is put in once: a `$1` inside it stays as it is.
    expect(formatMessage(en.get('panelarchivedother'), ['$2 $$'])).toBe('$2 $$ archived posts');
    expect(formatMessage({ message: 'costs $$5 for $1' }, ['you'])).toBe('costs $5 for you');
    expect(formatMessage(undefined, [])).toBe('');
  });

  it('take each message from the most specific file that has it', () => {
    const table = mergeLocales([read('zh_TW'), {}, read('en')]);
    expect(formatMessage(table.get('panelarchivedother'), ['3'])).not.toBe('3 archived posts');
    expect(table.size).toBe(Object.keys(read('en')).length);
  });
});
