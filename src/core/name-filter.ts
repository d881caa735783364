// How the search box's `channel:` and `tag:` filters are written for a name
// (its own module: the library page needs it without the search engine).
/** A `channel:` or `tag:` filter for a name, as the search box reads it (quoted when it has spaces). */
export function nameFilter(kind: 'channel' | 'tag', name: string): string {
  const plain = name.replace(/["“”「」]/g, '');
  return /\s/.test(plain) ? `${kind}:"${plain}"` : `${kind}:${plain}`;
}
