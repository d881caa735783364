// A channel's boilerplate: the opening and closing text most of its posts
// share (appeals to subscribe, donation links, social accounts, disclaimers),
// found from the archive itself. Descriptions were stored with their newlines
// stripped, so there are no lines to count: the boilerplate is every prefix
// (and suffix) that many of the channel's posts have in common, found by
// sorting them (and their reverses). Channels change their appeals over the
// years, so there are several: each era's.

export interface Boilerplate {
  /** Openings the channel's posts recur with, in any era ([] when none). */
  headers: string[];
  /** Closings they recur with. */
  footers: string[];
}

/** Shorter shared text is not worth folding (and may be chance). */
const MIN_LENGTH = 24;
/** An opening or closing recurs when this share of the posts looked at (and at least MIN_POSTS) carry it. */
const SHARE = 0.05;
const MIN_POSTS = 3;
/** Most openings (and closings) kept per channel: the ones the most posts carry. */
const MAX_KEPT = 24;
/**
 * Characters of a post's start (and end) looked at. Appeals and disclaimers
 * are far shorter; posts that say the same throughout (an archive that holds
 * one post many times) made every comparison run their whole length: 190 ms
 * for one channel of society ×32, in the background's way as a sync ended.
 */
const MAX_LENGTH = 4000;

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Every prefix that at least `k` of `texts` share, era by era: the texts are
 * sorted, so those sharing a prefix are neighbours; a run of neighbours whose
 * shared prefix is long enough splits where it is shortest into runs that
 * share longer ones (the LCP-interval tree). Each run of at least `k` texts
 * gives its prefix; a text folds the longest one it starts with.
 */
function recurringPrefixes(texts: string[], k: number): { prefix: string; count: number }[] {
  const sorted = [...texts].sort();
  const lcp = new Uint32Array(Math.max(0, sorted.length - 1));
  for (let i = 0; i + 1 < sorted.length; i++) lcp[i] = commonPrefixLength(sorted[i]!, sorted[i + 1]!);
  const found = new Map<string, number>();
  // Runs of texts [from, to] still to split, without recursion (a run can nest deeply).
  const runs: [number, number][] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && lcp[j]! >= MIN_LENGTH) j++;
    if (j - i + 1 >= k) runs.push([i, j]);
    i = j + 1;
  }
  while (runs.length) {
    const [from, to] = runs.pop()!;
    let shortest = Infinity;
    for (let i = from; i < to; i++) shortest = Math.min(shortest, lcp[i]!);
    const prefix = sorted[from]!.slice(0, shortest);
    found.set(prefix, (found.get(prefix) ?? 0) + to - from + 1);
    // The runs inside that share more than this one.
    for (let i = from; i <= to;) {
      let j = i;
      while (j < to && lcp[j]! > shortest) j++;
      if (j - i + 1 >= k && j > i) runs.push([i, j]);
      i = j + 1;
    }
  }
  return [...found].map(([prefix, count]) => ({ prefix, count }));
}

/**
 * The text backwards, a character at a time (a surrogate pair stays a pair),
 * made from its units at once: a string per character (Array.from) was most
 * of finding a channel's closings, 38 ms for one of society's in Node, in one
 * step that a reader's query waited behind.
 */
function reverse(text: string): string {
  const units = new Array<number>(text.length);
  let at = 0;
  for (let j = text.length - 1; j >= 0; j--) {
    const unit = text.charCodeAt(j);
    const high = j > 0 ? text.charCodeAt(j - 1) : 0;
    if (unit >= 0xdc00 && unit <= 0xdfff && high >= 0xd800 && high <= 0xdbff) {
      units[at++] = high;
      units[at++] = unit;
      j--;
    } else units[at++] = unit;
  }
  let out = '';
  for (let from = 0; from < units.length; from += UNITS_AT_ONCE) out += String.fromCharCode.apply(null, units.slice(from, from + UNITS_AT_ONCE));
  return out;
}

/** Units made into a string by one call (an engine limits a call's arguments). */
const UNITS_AT_ONCE = 8192;

/** End (or start) on a word boundary when the cut is inside Latin text. */
function tidyHeader(header: string): string {
  return header.replace(/[A-Za-z0-9]+$/, '');
}
function tidyFooter(footer: string): string {
  return footer.replace(/^[A-Za-z0-9]+/, '');
}

function kept(parts: { prefix: string; count: number }[], tidy: (text: string) => string): string[] {
  const texts = new Map<string, number>();
  for (const { prefix, count } of parts) {
    const text = tidy(prefix);
    if (text.trim().length >= MIN_LENGTH) texts.set(text, Math.max(texts.get(text) ?? 0, count));
  }
  return [...texts].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length).slice(0, MAX_KEPT).map(([text]) => text);
}

/**
 * The boilerplate of a channel from (a sample spread over all its eras of)
 * its posts' descriptions: every opening and closing that recurs in at least
 * 5 % of them, and in at least 3. Channels with fewer than 5 posts have none.
 */
export function findBoilerplate(descriptions: readonly string[]): Boilerplate {
  const texts = descriptions.map((d) => d.trim()).filter((d) => d.length >= MIN_LENGTH);
  if (texts.length < 5) return { headers: [], footers: [] };
  // A share of all the posts, short ones included: boilerplate is what many posts carry.
  const k = Math.max(MIN_POSTS, Math.ceil(descriptions.length * SHARE));
  if (texts.length < k) return { headers: [], footers: [] };
  const headers = kept(recurringPrefixes(texts.map((t) => t.slice(0, MAX_LENGTH)), k), tidyHeader);
  const ends = texts.map((t) => reverse(t.length > MAX_LENGTH ? t.slice(-MAX_LENGTH) : t));
  const footers = kept(recurringPrefixes(ends, k).map(({ prefix, count }) => ({ prefix: reverse(prefix), count })), tidyFooter);
  return { headers, footers };
}

/** The longest of `candidates` for which `fits` holds ('' when none). */
function longest(candidates: readonly string[], fits: (candidate: string) => boolean): string {
  let best = '';
  for (const candidate of candidates) if (candidate.length > best.length && fits(candidate)) best = candidate;
  return best;
}

/** A description with the channel's boilerplate taken out; the parts are exactly the text, in order. */
export function foldBoilerplate(description: string, boilerplate: Boilerplate): { header: string; main: string; footer: string } {
  let text = description;
  let header = '';
  let footer = '';
  const start = text.length - text.trimStart().length;
  const opening = longest(boilerplate.headers, (h) => text.startsWith(h, start));
  if (opening) {
    header = text.slice(0, start + opening.length);
    text = text.slice(header.length);
  }
  const trimmedEnd = text.trimEnd().length;
  const closing = longest(boilerplate.footers, (f) => trimmedEnd - f.length > 0 && text.startsWith(f, trimmedEnd - f.length));
  if (closing) {
    footer = text.slice(trimmedEnd - closing.length);
    text = text.slice(0, trimmedEnd - closing.length);
  }
  // A post that is nothing but boilerplate keeps it as its text.
  if (!text.trim()) return { header: '', main: description, footer: '' };
  return { header, main: text, footer };
}
