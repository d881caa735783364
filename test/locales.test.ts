// Every string the user sees exists in every language, with the same placeholders.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles } from './support/archives';
import { USER_MESSAGES } from '../src/core/user-messages';

const root = join(import.meta.dirname, '..');
type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const load = (locale: string) => JSON.parse(readFileSync(join(root, 'public/_locales', locale, 'messages.json'), 'utf8')) as Messages;
const en = load('en');
const locales = readdirSync(join(root, 'public/_locales'));

describe('translations', () => {
  it('include English, Traditional and Simplified Chinese', () => {
    expect(locales.sort()).toEqual(['en', 'zh_CN', 'zh_TW']);
  });

  it.each(locales.filter((l) => l !== 'en'))('%s has every English key with the same placeholders', (locale) => {
    const messages = load(locale);
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    for (const [key, entry] of Object.entries(en)) {
      const names = (m: string) => [...m.matchAll(/\$([A-Z_]+)\$/g)].map((x) => x[1]).sort();
      expect(names(messages[key]!.message), `${locale} ${key}`).toEqual(names(entry.message));
      expect(messages[key]!.message.trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('word every error and refusal the extension can show, in the same words as the English catalog', () => {
    for (const [code, english] of Object.entries(USER_MESSAGES)) {
      const entry = en[`err_${code}`];
      expect(entry, `err_${code}`).toBeDefined();
      // `$1` in the catalog is `$ARG1$` (a placeholder whose content is `$1`) in _locales.
      expect(entry!.message.replace(/\$ARG(\d)\$/g, '$$$1'), code).toBe(english);
      for (const [name, placeholder] of Object.entries(entry!.placeholders ?? {})) expect(placeholder.content).toBe(`$${name.slice(3)}`);
    }
  });

  it('cover every key the code asks for', () => {
    const used = new Set<string>();
    for (const file of listFiles(join(root, 'src')).filter((f) => /\.tsx?$/.test(f))) {
      const text = readFileSync(join(root, 'src', file), 'utf8');
      for (const m of text.matchAll(/\bt\('([A-Za-z]+)'/g)) used.add(m[1]!);
      // A count's message and its singular, and the nouns of counts.
      for (const m of text.matchAll(/\btCount\('([A-Za-z]+)'/g)) used.add(m[1]!).add(`${m[1]}One`);
      for (const m of text.matchAll(/\bcountOf\('([A-Za-z]+)'/g)) used.add(`count${m[1]}`).add(`count${m[1]}One`);
      for (const m of text.matchAll(/setupPage\('([A-Za-z]+)'/g)) used.add(m[1]!);
    }
    const manifest = readFileSync(join(root, 'manifest.json'), 'utf8');
    for (const m of manifest.matchAll(/__MSG_([A-Za-z]+)__/g)) used.add(m[1]!);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
    expect(used.size).toBeGreaterThan(20);
  });
});
