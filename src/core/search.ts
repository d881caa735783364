// Searching posts by what a user types, in either Chinese script:
//   words             every word must be found (title, channel, tags, text);
//                     Latin words where a word starts (`vacc` finds vaccine)
//   "a phrase"        found as written («…», “…”, 「…」 work too)
//   channel:罗宾      the channel (or author) contains it
//   tag:美國          a tag contains it
//   2024-05, 2024-05-01..2024-06-30, 2023..2024   posts of that time (UTC)
//   a video link or id   that video
// Everything is compared in one form (fold.ts): Traditional and Simplified
// Chinese, full- and half-width, upper and lower case all meet.
import { findTerm, foldForSearch, hasTerm } from './fold';
import { asVideoId, videoIdFromUrl, type VideoId } from './youtube';

export interface SearchQuery {
  /** Set when the query is a video link or id: look that video up directly. */
  videoId: VideoId | null;
  /** Folded words and phrases; every one must be found. */
  terms: string[];
  /** Folded; the channel or author must contain each. */
  channels: string[];
  /** Folded; some tag must contain each. */
  tags: string[];
  /** Posts from (inclusive) and to (exclusive), epoch ms. */
  from: number | null;
  to: number | null;
}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』', '«': '»' };

/** Splits what was typed into tokens, keeping quoted phrases (also after `channel:`) whole. */
function tokens(input: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && /\s/.test(input[i]!)) i++;
    if (i >= input.length) break;
    let token = '';
    while (i < input.length && !/\s/.test(input[i]!)) {
      const close = Object.hasOwn(QUOTES, input[i]!) ? QUOTES[input[i]!]! : null;
      if (close) {
        const end = input.indexOf(close, i + 1);
        const stop = end < 0 ? input.length : end;
        token += input.slice(i + 1, stop);
        i = stop + 1;
      } else {
        token += input[i];
        i++;
      }
    }
    if (token.trim()) out.push(token.trim());
  }
  return out;
}

const DAY = 86_400_000;

/** The UTC time span a date token names: `2024`, `2024-05`, `2024-05-01`. */
function span(text: string): { from: number; to: number } | null {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : null;
  const day = m[3] ? Number(m[3]) : null;
  if (month !== null && (month < 1 || month > 12)) return null;
  if (day !== null && (day < 1 || day > 31)) return null;
  if (day !== null) {
    const from = Date.UTC(year, month! - 1, day);
    return { from, to: from + DAY };
  }
  if (month !== null) return { from: Date.UTC(year, month - 1, 1), to: Date.UTC(year, month, 1) };
  return { from: Date.UTC(year, 0, 1), to: Date.UTC(year + 1, 0, 1) };
}

/** A date filter: `YYYY-MM`, `YYYY-MM-DD`, or a range `A..B` of any of those (a bare year stays a word). */
function dateFilter(token: string): { from: number; to: number } | null {
  const range = /^([\d-]+)\.\.([\d-]+)$/.exec(token);
  if (range) {
    const a = span(range[1]!);
    const b = span(range[2]!);
    return a && b && a.from < b.to ? { from: a.from, to: b.to } : null;
  }
  return /^\d{4}-\d{1,2}(-\d{1,2})?$/.test(token) ? span(token) : null;
}

export function parseQuery(input: string): SearchQuery {
  const text = input.trim();
  const videoId = videoIdFromUrl(text) ?? (/^[A-Za-z0-9_-]{11}$/.test(text) ? asVideoId(text) : null);
  const query: SearchQuery = { videoId, terms: [], channels: [], tags: [], from: null, to: null };
  for (const token of tokens(text)) {
    const filter = /^(channel|tag|頻道|频道|標籤|标签)[:：](.+)$/i.exec(token);
    if (filter) {
      const value = foldForSearch(filter[2]!.trim());
      if (!value) continue;
      if (/^(channel|頻道|频道)$/i.test(filter[1]!)) query.channels.push(value);
      else query.tags.push(value);
      continue;
    }
    const dates = dateFilter(token);
    if (dates) {
      query.from = Math.max(query.from ?? -Infinity, dates.from);
      query.to = Math.min(query.to ?? Infinity, dates.to);
      continue;
    }
    const term = foldForSearch(token).replace(/\s+/g, ' ');
    if (term) query.terms.push(term);
  }
  return query;
}

/** True when the query asks for anything besides a video id. */
export function hasCriteria(query: SearchQuery): boolean {
  return query.terms.length > 0 || query.channels.length > 0 || query.tags.length > 0 || query.from !== null;
}

export interface Searchable {
  title: string;
  channel: string;
  author: string;
  tags: string[];
  summary: string;
  videoId: string | null;
  time: number;
}

// Where a term is found says how well the post answers: the title most.
export const WEIGHT = { title: 8, tags: 4, channel: 2, summary: 1 } as const;

/**
 * How well a post answers the query (higher is better), or null when it does
 * not. Every term, channel, tag and date condition must hold.
 */
export function scorePost(post: Searchable, query: SearchQuery): number | null {
  if (query.from !== null && post.time < query.from) return null;
  if (query.to !== null && post.time >= query.to) return null;
  const channel = query.channels.length || query.terms.length ? foldForSearch(`${post.channel}\n${post.author}`) : '';
  for (const c of query.channels) if (!hasTerm(channel, c)) return null;
  const tags = query.tags.length || query.terms.length ? post.tags.map(foldForSearch) : [];
  for (const t of query.tags) if (!tags.some((tag) => hasTerm(tag, t))) return null;
  if (query.terms.length === 0) return hasCriteria(query) ? 1 : null;
  const title = foldForSearch(post.title).replace(/\s+/g, ' ');
  const tagText = tags.join('\n');
  let summary: string | null = null;
  let score = 0;
  for (const term of query.terms) {
    if (hasTerm(title, term)) score += WEIGHT.title;
    else if (hasTerm(tagText, term)) score += WEIGHT.tags;
    else if (hasTerm(channel, term)) score += WEIGHT.channel;
    else {
      // The summary is the longest field: folded only when the others do not answer.
      summary ??= foldForSearch(post.summary).replace(/\s+/g, ' ');
      if (!hasTerm(summary, term)) return null;
      score += WEIGHT.summary;
    }
  }
  return score;
}

/** Best first: a higher score, then newer. */
export function byRelevance(a: { score: number; time: number }, b: { score: number; time: number }): number {
  return b.score - a.score || b.time - a.time;
}

export type Range = [start: number, end: number];

// Characters folded one at a time, remembered: a page of results folds the
// same few thousand characters over and over, and NFKC per call is slow.
const folded = new Map<string, string>();

function foldChar(char: string): string {
  let piece = folded.get(char);
  if (piece === undefined) {
    piece = foldForSearch(char);
    if (/^\s+$/.test(piece)) piece = ' ';
    if (folded.size > 50_000) folded.clear();
    folded.set(char, piece);
  }
  return piece;
}

/**
 * Where the query's terms occur in a text as written (not folded), for
 * highlighting: each character is folded on its own, so offsets map back.
 */
export function highlightRanges(text: string, terms: readonly string[]): Range[] {
  if (terms.length === 0 || !text) return [];
  let folded = '';
  // For each folded character: where its original character starts and ends.
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
    const piece = foldChar(text.slice(i, i + width));
    for (let k = 0; k < piece.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    folded += piece;
    i += width;
  }
  const ranges: Range[] = [];
  for (const term of terms) {
    for (let at = findTerm(folded, term); at >= 0; at = findTerm(folded, term, at + term.length)) {
      ranges.push([starts[at]!, ends[at + term.length - 1]!]);
    }
  }
  return mergeRanges(ranges);
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

const EXCERPT_SCOPE = 20_000;

/** A short piece of a long text around its first match, with the matches in it. */
export function excerpt(text: string, terms: readonly string[], radius = 60): { text: string; ranges: Range[] } {
  // The first 20,000 characters: an article can be two megabytes, and a result needs only a line.
  const flat = text.slice(0, EXCERPT_SCOPE).replace(/\s+/g, ' ').trim();
  const all = highlightRanges(flat, terms);
  const first = all[0];
  if (!first) return { text: flat.length > radius * 2 ? `${flat.slice(0, radius * 2)}…` : flat, ranges: [] };
  const start = Math.max(0, first[0] - radius);
  const end = Math.min(flat.length, first[1] + radius);
  const lead = start > 0 ? '…' : '';
  const ranges = all.filter(([a, b]) => a >= start && b <= end).map(([a, b]): Range => [a - start + lead.length, b - start + lead.length]);
  return { text: `${lead}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`, ranges };
}
