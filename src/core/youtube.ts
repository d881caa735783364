// Pure knowledge about YouTube URLs and video ids. No DOM, no `browser`:
// the content script, the background, the parser and the CLI all share it.

declare const videoIdBrand: unique symbol;
/** An 11-character YouTube video id, checked by `asVideoId`. */
export type VideoId = string & { readonly [videoIdBrand]: true };

const ID_RE = /^[A-Za-z0-9_-]{11}$/;

export function isVideoId(value: unknown): value is VideoId {
  return typeof value === 'string' && ID_RE.test(value);
}

export function asVideoId(value: unknown): VideoId | null {
  return isVideoId(value) ? value : null;
}

const YOUTUBE_HOSTS = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
]);

/** Path prefixes whose next segment is a video id (`/shorts/ID`, `/live/ID`…). */
const ID_PATH_PREFIXES = new Set(['shorts', 'live', 'embed', 'v', 'e']);

export type VideoKind = 'watch' | 'shorts' | 'live' | 'embed' | 'short-link';

export interface VideoUrl {
  id: VideoId;
  kind: VideoKind;
}

function parseUrl(input: string | URL): URL | null {
  if (input instanceof URL) return input;
  const text = input.trim();
  if (!text) return null;
  try {
    // Protocol-relative and scheme-less links are common in descriptions.
    if (text.startsWith('//')) return new URL(`https:${text}`);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return new URL(`https://${text}`);
    return new URL(text);
  } catch {
    return null;
  }
}

// The two shapes nearly every archived link has, read without the URL
// parser (an archive of 122,000 posts holds about a million links; parsing
// each was two seconds of a sync). Anything else takes the full path below,
// which gives the same answer for these.
const COMMON_WATCH = /^https?:\/\/(?:www\.|m\.)?youtube\.com\/watch\?v=([A-Za-z0-9_-]{11})(?:[&#]|$)/;
const COMMON_SHORT = /^https?:\/\/youtu\.be\/([A-Za-z0-9_-]{11})(?:[?#]|$)/;

function commonShape(text: string): VideoUrl | null {
  const watch = COMMON_WATCH.exec(text);
  if (watch) return { id: watch[1] as VideoId, kind: 'watch' };
  const short = COMMON_SHORT.exec(text);
  return short ? { id: short[1] as VideoId, kind: 'short-link' } : null;
}

/**
 * Reads the video a URL points at, for every URL shape YouTube uses.
 * Clips (`/clip/…`), channels, playlists and anything whose id is not exactly
 * 11 characters of `[A-Za-z0-9_-]` give null.
 */
export function parseVideoUrl(input: string | URL): VideoUrl | null {
  if (typeof input === 'string') {
    const common = commonShape(input);
    if (common) return common;
  }
  const url = parseUrl(input);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
  const host = url.hostname.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);

  if (host === 'youtu.be' || host === 'www.youtu.be') {
    const id = segments.length === 1 ? asVideoId(segments[0]) : null;
    return id ? { id, kind: 'short-link' } : null;
  }
  if (!YOUTUBE_HOSTS.has(host)) return null;

  if (segments.length === 1 && segments[0] === 'watch') {
    const id = asVideoId(url.searchParams.get('v'));
    return id ? { id, kind: 'watch' } : null;
  }
  if (segments.length === 2 && ID_PATH_PREFIXES.has(segments[0]!)) {
    const id = asVideoId(segments[1]);
    if (!id) return null;
    const prefix = segments[0]!;
    const kind: VideoKind = prefix === 'shorts' ? 'shorts' : prefix === 'live' ? 'live' : 'embed';
    return { id, kind };
  }
  return null;
}

export function videoIdFromUrl(input: string | URL): VideoId | null {
  return parseVideoUrl(input)?.id ?? null;
}

/** True on `youtube.com/watch?v=ID` pages, where the side panel belongs. */
export function isWatchPage(input: string | URL): boolean {
  return parseVideoUrl(input)?.kind === 'watch';
}

// A YouTube link inside free text. Archive bodies had their newlines stripped,
// so links run straight into the next word: a link is taken to end at the
// first character that is not URL-safe ASCII (CJK text, spaces, quotes,
// brackets), and `parseVideoUrl` then insists on an exact 11-char id.
/** The characters a link in archive text is made of (a RegExp class body): URL-safe ASCII. */
export const URL_CHARS = String.raw`A-Za-z0-9\-._~:/?#@!$&*+,;=%`;
const LINK_IN_TEXT_RE = new RegExp(String.raw`(?:https?:)?\/\/(?:(?:www|m|music)\.)?(?:youtube(?:-nocookie)?\.com|youtu\.be)\/[${URL_CHARS}]+`, 'gi');

/** Every distinct video id linked or embedded in a piece of text or HTML, in order. */
export function videoIdsInText(text: string): VideoId[] {
  const found = new Set<VideoId>();
  for (const match of text.matchAll(LINK_IN_TEXT_RE)) {
    // `&amp;` inside HTML attributes is still an `&` to a browser.
    const link = match[0].replace(/&amp;/g, '&');
    const id = videoIdFromUrl(link) ?? videoIdFromGluedLink(link);
    if (id) found.add(id);
  }
  return [...found];
}

// `youtu.be/ID` or `watch?v=ID` followed directly by non-id text such as
// `…/abcdefghijk中文` is split by the regex above already; what is left is a
// link whose id runs into Latin text, which we cannot split safely, so those
// are dropped rather than guessed.
function videoIdFromGluedLink(link: string): VideoId | null {
  const m = /[?&]v=([A-Za-z0-9_-]{11})(?:[^A-Za-z0-9_-]|$)/.exec(link);
  return m ? asVideoId(m[1]) : null;
}
