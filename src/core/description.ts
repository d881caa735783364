// The pieces of an archived description a reader can act on: links, times
// (`12:34`, `1:02:03`, chapter lists) and `#hashtags`, between plain text.
// Archive bodies had their newlines stripped, so pieces run into the next
// word: a link ends at the first character that is not URL-safe ASCII, a
// time needs no space before it (`开头1:17`), and a hashtag ends at the next
// `#`, space or punctuation.

import { URL_CHARS } from './youtube';

export type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; url: string }
  | { kind: 'time'; text: string; seconds: number }
  | { kind: 'hashtag'; text: string; tag: string };

const LINK = String.raw`https?:\/\/[${URL_CHARS}]+`;
// Not inside a longer number or time (`2024:05:06`, `10:30:00:12`).
const TIME = String.raw`(?<![\d:])(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?![\d:])`;
// After anything but a Latin letter or digit (`C#`, `page#part`), `&` (entities) or `/`; run-together
// Chinese hashtags (`#上海疫情#上海`) follow a letter of the last one.
const HASHTAG = String.raw`(?<![A-Za-z0-9&/_])#([\p{L}\p{N}_]{1,80})`;
const PIECES = new RegExp(`(${LINK})|${TIME}|${HASHTAG}`, 'gu');

/** Links end before trailing punctuation that belongs to the sentence. */
function trimLink(url: string): string {
  return url.replace(/[.,;:!?)\]*'"]+$/, '');
}

export function descriptionPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  const pushText = (end: number) => {
    if (end > last) pieces.push({ kind: 'text', text: text.slice(last, end) });
  };
  for (const match of text.matchAll(PIECES)) {
    const at = match.index!;
    if (match[1]) {
      const url = trimLink(match[1]);
      if (url.length < 'https://x.y'.length) continue;
      pushText(at);
      pieces.push({ kind: 'link', text: url, url });
      last = at + url.length; // what was trimmed off stays text
    } else if (match[4] !== undefined) {
      const hours = match[2] ? Number(match[2]) : 0;
      const minutes = Number(match[3]);
      const seconds = Number(match[4]);
      // 1:75 is no time; with hours, minutes stay under 60 too.
      if (seconds >= 60 || (match[2] && minutes >= 60)) continue;
      pushText(at);
      pieces.push({ kind: 'time', text: match[0], seconds: hours * 3600 + minutes * 60 + seconds });
      last = at + match[0].length;
    } else if (match[5]) {
      pushText(at);
      pieces.push({ kind: 'hashtag', text: match[0], tag: match[5] });
      last = at + match[0].length;
    }
  }
  pushText(text.length);
  return pieces;
}

/** A watch link at a time: where a time in a post of another video (or outside YouTube) leads. */
export function watchAt(videoId: string, seconds: number): string {
  return `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}&t=${seconds}s`;
}
