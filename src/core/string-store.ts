// Short strings (post ids) appended one after another and read back by
// place, kept as one byte a character where every character fits in one,
// and as one byte for two where the string is lowercase hex of even length
// (post ids are 16 hex digits: core/hash.ts hash64), with a table of where
// each starts: no string object each. A sync's index holds one per post,
// 490,000 at society ×32, for the whole sync; as strings they were that many
// more objects for every full garbage collection to mark, in the thread that
// reads the download.
import { doubled } from './typed-arrays';
import { hash32, hashBytes } from './hash';

/** Characters made into a string at a time. */
const CHUNK = 4096;

/** A place's flags: cleared; kept as hex digits two a byte. */
const CLEARED = 1;
const HEX = 2;

/** The character codes of the hex digits, by value. */
const DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Whether `text` is lowercase hex digits, an even number of them (and some). */
function isHexPairs(text: string): boolean {
  if (text.length === 0 || text.length % 2 !== 0) return false;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false;
  }
  return true;
}

/** The value of a lowercase hex digit's code. */
const digit = (code: number) => (code <= 57 ? code - 48 : code - 87);

export class StringStore {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private starts = new Uint32Array(1024);
  /** Each place's flags (CLEARED, HEX). */
  private flags = new Uint8Array(1024);
  /** Strings with a character past one byte, as they are. */
  private readonly wide = new Map<number, string>();
  length = 0;

  /** Bytes the strings take (not counting the wide ones, kept as strings). */
  get bytesUsed(): number {
    return this.used;
  }

  push(text: string): void {
    if (this.length + 1 >= this.starts.length) {
      this.starts = doubled(this.starts);
      this.flags = doubled(this.flags);
    }
    const place = this.length++;
    if (isHexPairs(text)) {
      this.flags[place] = HEX;
      const size = text.length / 2;
      if (this.used + size > this.bytes.length) this.bytes = doubled(this.bytes, this.used + size);
      for (let k = 0; k < text.length; k += 2) this.bytes[this.used++] = (digit(text.charCodeAt(k)) << 4) | digit(text.charCodeAt(k + 1));
      this.starts[place + 1] = this.used;
      return;
    }
    let narrow = true;
    for (let k = 0; k < text.length && narrow; k++) narrow = text.charCodeAt(k) < 256;
    if (!narrow) this.wide.set(place, text);
    else {
      if (this.used + text.length > this.bytes.length) this.bytes = doubled(this.bytes, this.used + text.length);
      for (let k = 0; k < text.length; k++) this.bytes[this.used++] = text.charCodeAt(k);
    }
    this.starts[place + 1] = this.used;
  }

  /** The string at `place` ('' once cleared), as `Array.prototype.at` gives it. */
  at(place: number): string | undefined {
    if (place < 0 || place >= this.length) return undefined;
    const flags = this.flags[place]!;
    if (flags & CLEARED) return '';
    const wide = this.wide.get(place);
    if (wide !== undefined) return wide;
    const start = this.starts[place]!;
    const end = this.starts[place + 1]!;
    if (flags & HEX) {
      const chars = new Uint8Array((end - start) * 2);
      this.writeHex(start, end, chars, 0);
      return bytesToText(chars);
    }
    if (end - start <= CHUNK) return String.fromCharCode(...this.bytes.subarray(start, end));
    // Past an engine's limit on arguments, a piece at a time.
    let text = '';
    for (let at = start; at < end; at += CHUNK) text += String.fromCharCode(...this.bytes.subarray(at, Math.min(end, at + CHUNK)));
    return text;
  }

  /** Whether the string at `place` is `text`, without making it. */
  matches(place: number, text: string): boolean {
    if (place < 0 || place >= this.length) return false;
    const flags = this.flags[place]!;
    if (flags & CLEARED) return text === '';
    const wide = this.wide.get(place);
    if (wide !== undefined) return wide === text;
    const start = this.starts[place]!;
    const end = this.starts[place + 1]!;
    if (flags & HEX) {
      if ((end - start) * 2 !== text.length) return false;
      for (let b = start, k = 0; b < end; b++, k += 2) {
        const byte = this.bytes[b]!;
        if (text.charCodeAt(k) !== DIGITS[byte >> 4] || text.charCodeAt(k + 1) !== DIGITS[byte & 15]) return false;
      }
      return true;
    }
    if (end - start !== text.length) return false;
    for (let k = 0; k < text.length; k++) if (this.bytes[start + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** Whether the string at `place` was cleared (or was empty). */
  isEmpty(place: number): boolean {
    return (this.flags[place]! & CLEARED) !== 0 || (this.starts[place + 1] === this.starts[place] && !this.wide.has(place));
  }

  /** Makes the string at `place` empty. */
  clear(place: number): void {
    this.flags[place]! |= CLEARED;
    this.wide.delete(place);
  }

  /** hash32 of the string at `place`, without making it; -1 for an empty or cleared one. */
  hashAt(place: number): number {
    if (place < 0 || place >= this.length || this.isEmpty(place)) return -1;
    const wide = this.wide.get(place);
    if (wide !== undefined) return hash32(wide);
    const start = this.starts[place]!;
    const end = this.starts[place + 1]!;
    if (!(this.flags[place]! & HEX)) return hashBytes(this.bytes, start, end);
    // hash32's steps, over the digits each byte holds.
    let h = 0x811c9dc5;
    for (let b = start; b < end; b++) {
      const byte = this.bytes[b]!;
      h = Math.imul(h ^ DIGITS[byte >> 4]!, 0x01000193);
      h = Math.imul(h ^ DIGITS[byte & 15]!, 0x01000193);
    }
    return h >>> 0;
  }

  /**
   * The strings at these places, joined by `separator` (one character below
   * 128), made as one string from the bytes: a sync's commit joins every id
   * of ×32's 489,000 posts (twice over, for the directories' rows), and a
   * string each was that many objects made and dropped at once, as the peak
   * of a large sync came.
   */
  joinAt(places: ArrayLike<number>, separator: string): string {
    return this.joinEach(places.length, (i) => places[i]!, separator);
  }

  /** All of them, joined by `separator`. */
  join(separator: string): string {
    return this.joinEach(this.length, (i) => i, separator);
  }

  private joinEach(count: number, placeOf: (i: number) => number, separator: string): string {
    const asStrings = () => Array.from({ length: count }, (_, k) => this.at(placeOf(k))!).join(separator);
    if (separator.length !== 1 || separator.charCodeAt(0) >= 128) return asStrings();
    let size = Math.max(0, count - 1);
    for (let i = 0; i < count; i++) {
      const place = placeOf(i);
      // A string with a wide character (never an id: they are hex) is joined as strings.
      if (this.wide.has(place)) return asStrings();
      const flags = this.flags[place]!;
      if (!(flags & CLEARED)) size += (this.starts[place + 1]! - this.starts[place]!) * (flags & HEX ? 2 : 1);
    }
    const out = new Uint8Array(size);
    const sep = separator.charCodeAt(0);
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (i > 0) out[at++] = sep;
      const place = placeOf(i);
      const flags = this.flags[place]!;
      if (flags & CLEARED) continue;
      const start = this.starts[place]!;
      const end = this.starts[place + 1]!;
      if (flags & HEX) at = this.writeHex(start, end, out, at);
      // A byte at a time: a view of each id to copy from was an object per post.
      else for (let b = start; b < end; b++) out[at++] = this.bytes[b]!;
    }
    return bytesToText(out);
  }

  /** Writes the hex digits bytes [start, end) hold into `out` at `at`; returns where they end. */
  private writeHex(start: number, end: number, out: Uint8Array, at: number): number {
    for (let b = start; b < end; b++) {
      const byte = this.bytes[b]!;
      out[at++] = DIGITS[byte >> 4]!;
      out[at++] = DIGITS[byte & 15]!;
    }
    return at;
  }
}

const PIECE = 4096;

/**
 * The string whose character codes these bytes are (each below 256), made
 * from character codes rather than decoded: Firefox's TextDecoder gives a
 * string of two bytes a character even for ASCII, and fromCharCode one of a
 * byte a character when every code is below 256 (V8 makes that of both).
 * The list of a ×32 sync's post ids (8.2 million characters) was 16 MiB in
 * Firefox's background page and in the row it wrote (about:memory, December
 * 7, 2026). V8 decodes faster: 6–10 ms for those 8 MB, 29–46 ms this way
 * (Node), once at a sync's commit. The codes go through a plain array: a
 * typed array spread into the call took 270–360 ms.
 */
export function bytesToText(bytes: Uint8Array): string {
  const codes: number[] = new Array<number>(Math.min(PIECE, bytes.length));
  let text = '';
  for (let at = 0; at < bytes.length; at += PIECE) {
    const end = Math.min(bytes.length, at + PIECE);
    if (end - at !== codes.length) codes.length = end - at;
    for (let i = at; i < end; i++) codes[i - at] = bytes[i]!;
    text += String.fromCharCode.apply(null, codes);
  }
  return text;
}
