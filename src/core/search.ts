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
  /** `is:removed`: only posts their source removed, which the archive keeps. */
  removed?: true;
}

/** `is:removed` (or 已删除 / 已刪除): the posts kept after their source removed them. */
const REMOVED_FILTER = /^(is[:：]removed|已删除|已刪除)$/i;

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
    if (REMOVED_FILTER.test(token)) {
      query.removed = true;
      continue;
    }
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
  return query.terms.length > 0 || query.channels.length > 0 || query.tags.length > 0 || query.from !== null || query.removed === true;
}

export interface Searchable {
  title: string;
  channel: string;
  author: string;
  tags: string[];
  summary: string;
  videoId: string | null;
  time: number;
  removedAt?: number;
}

// Where a term is found says how well the post answers: the title most.
export const WEIGHT = { title: 8, tags: 4, channel: 2, summary: 1 } as const;

/**
 * How well a post answers the query (higher is better), or null when it does
 * not. Every term, channel, tag and date condition must hold.
 */
export function scorePost(post: Searchable, query: SearchQuery): number | null {
  if (query.removed && post.removedAt === undefined) return null;
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
