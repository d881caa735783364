// The extension's own message files, read and formatted as the browser does,
// for when the browser's table comes back empty. Chromium keeps one table of
// an extension's messages per renderer process, filled by one synchronous
// request to the browser; when that request answers nothing (seen in the
// end-to-end run while the background was busy reading the archive), every
// page of that process shows message keys until the process ends. Pure: no
// `browser`, so it is tested in Node.

interface Entry {
  message: string;
  placeholders?: Record<string, { content?: string }>;
}
export type LocaleFile = Record<string, Entry>;

/** The locale folders the browser would look in for a UI language, most specific first (`zh-TW`: zh_TW, zh, then the default). */
export function localeChain(uiLanguage: string, defaultLocale: string): string[] {
  const [language = '', region] = uiLanguage.replace(/-/g, '_').split('_');
  const chain = [region ? `${language}_${region.toUpperCase()}` : '', language, defaultLocale];
  return [...new Set(chain.filter((l) => /^[A-Za-z]{2,3}(_[A-Z0-9]{2,4})?$/.test(l)))];
}

/** A message with its substitutions, as `i18n.getMessage` formats it: named placeholders, then `$1`…`$9`, `$$` for a dollar. */
export function formatMessage(entry: Entry | undefined, substitutions: string[]): string {
  if (!entry || typeof entry.message !== 'string') return '';
  const named = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content ?? '']));
  // As the browser: named placeholders become their content when the file is read, then one pass puts the substitutions in.
  return entry.message
    .replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => named.get(name.toLowerCase()) ?? whole)
    .replace(/\$(\$|[1-9])/g, (_, c: string) => (c === '$' ? '$' : substitutions[Number(c) - 1] ?? ''));
}

/** One table from the files of a chain (most specific first): each message from the first file that has it. */
export function mergeLocales(files: LocaleFile[]): Map<string, Entry> {
  const table = new Map<string, Entry>();
  for (const file of files) {
    for (const [key, entry] of Object.entries(file)) {
      if (!table.has(key.toLowerCase()) && entry && typeof entry.message === 'string') table.set(key.toLowerCase(), entry);
    }
  }
  return table;
}
