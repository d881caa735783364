// One Jekyll post (its text and path) in, a typed post or a typed error out.
// Never throws: a batch of 30,000 files must survive any one of them.
import { ownString } from './own-string';
import { parsePostDate } from './dates';
import { booleanField, listField, splitFrontMatter, stringField } from './front-matter';
import { hash64Joined } from './hash';
import { decodeEntities, htmlToText, tidyLines } from './html-text';
import { parseVideoUrl, videoIdsInText, type VideoId } from './youtube';

export interface Post {
  /** Stable across moves (`_posts/` → `archived/`): a hash of what the post says. */
  id: string;
  /** The video this post archives (from `from`), or null for blog posts. */
  videoId: VideoId | null;
  /** Other videos only linked or embedded in the body. */
  mentions: VideoId[];
  title: string;
  /** ISO 8601, as written in front matter (normalised through Date). */
  date: string;
  /** Milliseconds since the epoch, for sorting and indexing. */
  time: number;
  author: string;
  /** The site name from `tags`/`categories`: the channel, in the user's words. */
  channel: string;
  tags: string[];
  /** Front matter `categories` (also among `tags`), when there are any: parts of the site's URL. */
  categories?: string[];
  /** Front matter `permalink:`: the post's own URL template, in place of the site's. */
  permalink?: string;
  /** Front matter `slug:`: the name in the URL, in place of the file's. */
  slug?: string;
  /** Front matter `published: false`: Jekyll builds no page for the post. */
  unpublished?: true;
  /** The original item (`from`). */
  sourceUrl: string;
  /** Readable plain text of the description or article. */
  summary: string;
  /** The body HTML exactly as archived. Data only: never rendered as HTML. */
  bodyHtml: string;
  /** Path inside the archive repository, e.g. `archived/2025-02-02/….md`. */
  path: string;
}

export type PostErrorReason =
  | 'empty'
  | 'not-utf8'
  | 'too-large'
  | 'no-front-matter'
  | 'unterminated-front-matter'
  | 'missing-title'
  | 'missing-source'
  | 'invalid-date';

export interface PostError {
  path: string;
  reason: PostErrorReason;
  message: string;
}

export type ParseResult = { ok: true; post: Post } | { ok: false; error: PostError };

/** Larger than any real post (the largest is ~110,000 characters) by far. */
export const MAX_POST_CHARS = 2_000_000;

const MESSAGES: Record<PostErrorReason, string> = {
  empty: 'the file is empty',
  'not-utf8': 'the file is not valid UTF-8 text',
  'too-large': `the file is larger than ${MAX_POST_CHARS.toLocaleString('en')} characters`,
  'no-front-matter': 'not a post: it does not start with a `---` front matter block',
  'unterminated-front-matter': 'the front matter block is never closed with `---`',
  'missing-title': 'the front matter has no `title`',
  'missing-source': 'the front matter has no `from` link to the archived item',
  'invalid-date': 'neither the front matter `date` nor the file name gives a valid date',
};

function fail(path: string, reason: PostErrorReason, detail?: string): ParseResult {
  const message = detail ? `${MESSAGES[reason]} (${detail})` : MESSAGES[reason];
  return { ok: false, error: { path, reason, message } };
}

export interface ParseOptions {
  /** The site's `timezone:` (IANA name): the zone of dates written without an offset. */
  timeZone?: string | null;
}

export function parsePost(text: string, path: string, options: ParseOptions = {}): ParseResult {
  if (text.trim() === '') return fail(path, 'empty');
  if (text.length > MAX_POST_CHARS) return fail(path, 'too-large');

  const split = splitFrontMatter(text);
  if (!split.ok) return fail(path, split.reason);
  const { data, body } = split.value;

  const title = stringField(data, 'title');
  if (title === undefined || title.trim() === '') return fail(path, 'missing-title');

  const sourceUrl = (stringField(data, 'from') ?? '').trim();
  if (!sourceUrl) return fail(path, 'missing-source');

  const zone = options.timeZone ?? null;
  const time = parsePostDate(stringField(data, 'date'), zone) ?? parsePostDate(dateFromPath(path), zone);
  if (time === null) return fail(path, 'invalid-date', `date: ${stringField(data, 'date') ?? 'absent'}`);
  const date = new Date(time).toISOString();

  const tags = unique(listField(data, 'tags').map((t) => t.trim()).filter(Boolean));
  const categories = listField(data, 'categories').map((t) => t.trim()).filter(Boolean);
  const author = (stringField(data, 'author') ?? '').trim();
  const channel = tags[0] ?? categories[0] ?? author;

  const video = parseVideoUrl(sourceUrl);
  const videoId = video?.id ?? null;
  const bodyHtml = extractContent(body);
  // YouTube descriptions are plain text with raw `&` (no tags); articles are HTML.
  const summary = videoId ? tidyLines(decodeEntities(bodyHtml)) : htmlToText(bodyHtml);
  const mentions = videoIdsInText(body).filter((id) => id !== videoId);

  const id = hash64Joined([videoId ?? sourceUrl, title, date, summary], '\u0000');
  const permalink = stringField(data, 'permalink')?.trim().slice(0, MAX_URL_FIELD);
  const slug = stringField(data, 'slug')?.trim().slice(0, MAX_URL_FIELD);
  // What is kept of the post holds none of the file's text beside it (core/own-string.ts).
  const own = (texts: string[]) => texts.map(ownString);
  return {
    ok: true,
    post: {
      id, videoId, mentions, title: ownString(title), date, time, author: ownString(author), channel: ownString(channel),
      tags: own(unique([...tags, ...categories])),
      ...(categories.length ? { categories: own(unique(categories)) } : {}),
      ...(permalink ? { permalink: ownString(permalink) } : {}),
      ...(slug ? { slug: ownString(slug) } : {}),
      // Jekyll builds a post unless `published:` is false or nil.
      ...(booleanField(data, 'published') === false ? { unpublished: true as const } : {}),
      sourceUrl: ownString(sourceUrl), summary: ownString(summary), bodyHtml, path,
    },
  };
}

/** Longest `permalink:` or `slug:` kept: URLs, not texts. */
const MAX_URL_FIELD = 1_000;

function dateFromPath(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^(\d{4}-\d{2}-\d{2})-/.exec(name)?.[1];
}

/**
 * The archived content: what sits inside `<div>…</div>` after the `------`
 * rule the generator writes. Other layouts fall back to the whole body minus
 * the `<!--pubDate-->` comment and the `[title](link)` line.
 */
function extractContent(body: string): string {
  const rule = body.search(/^-{3,}[ \t]*$/m);
  const afterRule = rule >= 0 ? body.slice(rule).replace(/^-{3,}[ \t]*\r?\n?/, '') : body;
  const m = /^\s*<div>\r?\n?([\s\S]*?)\r?\n?<\/div>\s*$/.exec(afterRule);
  if (m) return m[1]!;
  if (rule >= 0) return afterRule.trim();
  return dropTitleLink(body.replace(/^\s*<!--\d+-->\s*/, '')).trim();
}

/** Drops the first `[title](link)` line, by string tests: a pattern for it is quadratic on `[…](…` lines. */
function dropTitleLink(body: string): string {
  let start = 0;
  while (start <= body.length) {
    const newline = body.indexOf('\n', start);
    const end = newline < 0 ? body.length : newline;
    const line = body.slice(start, end).trimEnd();
    if (line.startsWith('[') && line.endsWith(')') && line.includes('](')) {
      return body.slice(0, start) + body.slice(newline < 0 ? end : end + 1);
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  return body;
}

/** The items without repeats, in order (a post has a few tags: no Set for them). */
function unique<T>(items: T[]): T[] {
  if (items.length > 16) return [...new Set(items)];
  const out: T[] = [];
  for (const item of items) if (!out.includes(item)) out.push(item);
  return out;
}
