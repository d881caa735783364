// UI strings come from public/_locales through the browser's i18n API.
import browser from 'webextension-polyfill';
import type en from '../../public/_locales/en/messages.json';
import { inEnglish, isUserMessage, type UserMessage } from '../core/user-messages';
import { formatMessage, localeChain, mergeLocales, type LocaleFile } from './locale-files';

export type MessageKey = keyof typeof en;

/** The messages read from the locale files when the browser's table was empty (see `ensureMessages`). */
let fromFiles: ReturnType<typeof mergeLocales> | null = null;

function message(key: string, substitutions: string[]): string {
  return browser.i18n.getMessage(key, substitutions) || (fromFiles ? formatMessage(fromFiles.get(key.toLowerCase()), substitutions) : '');
}

/**
 * Makes sure the page can say its messages before it renders. Chromium keeps
 * one table of messages per renderer process, filled once by a synchronous
 * request to the browser; when that request answered nothing, every page of
 * the process would show message keys (seen in the end-to-end run while the
 * background read the whole archive). Then the page reads the locale files
 * itself, as the browser would have. Extension pages only: a content script
 * cannot read them.
 */
export async function ensureMessages(): Promise<void> {
  if (browser.i18n.getMessage('extName')) return;
  const manifest = browser.runtime.getManifest() as { default_locale?: string };
  const chain = localeChain(browser.i18n.getUILanguage(), manifest.default_locale ?? 'en');
  const files = await Promise.all(chain.map((locale) =>
    fetch(browser.runtime.getURL(`_locales/${locale}/messages.json`))
      .then((r) => (r.ok ? (r.json() as Promise<LocaleFile>) : {}))
      .catch(() => ({}))));
  fromFiles = mergeLocales(files);
  console.warn(`ArchiveLens: the browser gave no messages; read them from the locale files (${chain.join(', ')})`);
}

export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  return message(key, substitutions.map(String)) || key;
}

/** A user message (an error's code and arguments) in the user's language. */
export function say(message_: UserMessage): string {
  return message(`err_${message_.code}`, message_.args) || inEnglish(message_);
}

/** What went wrong, in the user's language when the error says it as a user message. */
export function describeError(error: unknown): string {
  const message = (error as { userMessage?: unknown } | null)?.userMessage;
  if (isUserMessage(message)) return say(message);
  return error instanceof Error ? error.message : String(error);
}

// Intl's formatters, made once per language and options: making one reads
// the locale's data (ICU), and a popup keystroke formatted 30 dates with a
// new formatter each: half of the popup's JavaScript for showing its results
// (8 ms of 16 a keystroke in Chromium, scratch CPU profile of the popup).
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();
function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(kind: string, options: object, make: (lang: string) => T): T {
  const lang = browser.i18n.getUILanguage();
  const key = `${kind} ${lang} ${JSON.stringify(options)}`;
  let made = formatters.get(key) as T | undefined;
  if (!made) formatters.set(key, (made = make(lang)));
  return made;
}

/** Formats a post date in the user's language. */
export function formatDate(iso: string, withTime = false): string {
  const options: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: 'medium', timeStyle: 'short' }
    : { dateStyle: 'medium' };
  try {
    return formatter('date', options, (lang) => new Intl.DateTimeFormat(lang, options)).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
}

/** A size in storage, in MB or GB as fits ("85 MB", "1.2 GB"), in the user's language. */
export function formatBytes(bytes: number): string {
  const gb = bytes >= 1e9;
  const options: Intl.NumberFormatOptions = { style: 'unit', unit: gb ? 'gigabyte' : 'megabyte', maximumFractionDigits: gb || bytes < 1e7 ? 1 : 0 };
  return formatter('number', options, (lang) => new Intl.NumberFormat(lang, options)).format(bytes / (gb ? 1e9 : 1e6));
}

export function formatNumber(n: number): string {
  return formatter('number', {}, (lang) => new Intl.NumberFormat(lang)).format(n);
}

/** Whether `n` takes the singular in the UI language (English "1 post"; Chinese has no plural forms). */
export function isOne(n: number): boolean {
  return formatter('plural', {}, (lang) => new Intl.PluralRules(lang)).select(n) === 'one';
}

/**
 * A message about a count: `${key}One` where the UI language says "one"
 * (a message with no placeholder), else `key` with the count formatted as
 * its first substitution. Every count the user reads goes through this or
 * `countOf`, so no message says "1 posts".
 */
export function tCount(key: MessageKey, n: number, ...rest: (string | number)[]): string {
  if (isOne(n)) {
    const one = message(`${key}One`, []);
    if (one) return one;
  }
  return t(key, formatNumber(n), ...rest);
}

/** A count with its noun ("1 post", "12 videos", "3 個頻道"), to put inside another message. `prefix` marks an estimate (≈). */
export function countOf(unit: 'Posts' | 'Videos' | 'Channels' | 'Words', n: number, prefix = ''): string {
  if (isOne(n) && !prefix) return t(`count${unit}One`);
  return t(`count${unit}`, `${prefix}${formatNumber(n)}`);
}

/** "1 archived post" / "N archived posts", with plural rules of the UI language. */
export function archivedCount(n: number): string {
  return isOne(n) ? t('panelArchivedOne') : t('panelArchivedOther', formatNumber(n));
}

/** "1 post" / "N posts" for source rows. */
export function postCount(n: number): string {
  return isOne(n) ? t('optionsPostsOne') : t('optionsPosts', formatNumber(n));
}
