// A channel's boilerplate: the opening and closing text most of its posts
// share (appeals to subscribe, donation links, social accounts, disclaimers),
// found from the archive itself. Descriptions were stored with their newlines
// stripped, so there are no lines to count: the boilerplate is the longest
// prefix (and suffix) that a large share of the channel's posts have in
// common, found by sorting them (and their reverses) and taking the longest
// common prefix of any window of that many neighbours.

export interface Boilerplate {
  /** Text most posts of the channel start with ('' when none). */
  header: string;
  /** Text most posts of the channel end with ('' when none). */
  footer: string;
}

/** Shorter shared text is not worth folding (and may be chance). */
const MIN_LENGTH = 24;

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The longest prefix at least `share` of `texts` start with. */
function sharedPrefix(texts: string[], share: number): string {
  const sorted = [...texts].sort();
  let best = '';
  for (let i = 0; i + share - 1 < sorted.length; i++) {
    const length = commonPrefixLength(sorted[i]!, sorted[i + share - 1]!);
    if (length > best.length) best = sorted[i]!.slice(0, length);
  }
  return best;
}

const reverse = (text: string) => Array.from(text).reverse().join('');

/** Never cut a surrogate pair, and end (or start) on a word boundary when the cut is inside Latin text. */
function tidyHeader(header: string): string {
  return header.replace(/[A-Za-z0-9]+$/, '');
}
function tidyFooter(footer: string): string {
  return footer.replace(/^[A-Za-z0-9]+/, '');
}

/**
 * The boilerplate of a channel from (a sample of) its posts' descriptions:
 * shared by at least 30 % of them, and by at least 3. Channels with fewer
 * than 5 posts have none.
 */
export function findBoilerplate(descriptions: readonly string[]): Boilerplate {
  const texts = descriptions.map((d) => d.trim()).filter((d) => d.length >= MIN_LENGTH);
  if (texts.length < 5) return { header: '', footer: '' };
  // A share of all the posts, short ones included: boilerplate is what most posts carry.
  const share = Math.max(3, Math.ceil(descriptions.length * 0.3));
  if (texts.length < share) return { header: '', footer: '' };
  const header = tidyHeader(sharedPrefix(texts, share));
  const footer = tidyFooter(reverse(sharedPrefix(texts.map(reverse), share)));
  return {
    header: header.trim().length >= MIN_LENGTH ? header : '',
    footer: footer.trim().length >= MIN_LENGTH ? footer : '',
  };
}

/** A description with the channel's boilerplate taken out; the parts are exactly the text, in order. */
export function foldBoilerplate(description: string, boilerplate: Boilerplate): { header: string; main: string; footer: string } {
  let text = description;
  let header = '';
  let footer = '';
  const start = text.length - text.trimStart().length;
  if (boilerplate.header && text.startsWith(boilerplate.header, start)) {
    header = text.slice(0, start + boilerplate.header.length);
    text = text.slice(header.length);
  }
  const trimmedEnd = text.trimEnd().length;
  if (boilerplate.footer && text.slice(0, trimmedEnd).endsWith(boilerplate.footer) && trimmedEnd - boilerplate.footer.length > 0) {
    footer = text.slice(trimmedEnd - boilerplate.footer.length);
    text = text.slice(0, trimmedEnd - boilerplate.footer.length);
  }
  // A post that is nothing but boilerplate keeps it as its text.
  if (!text.trim()) return { header: '', main: description, footer: '' };
  return { header, main: text, footer };
}
