// Short strings (post ids) appended one after another and read back by
// place, kept as one byte a character where every character fits in one
// (ids are hex), with a table of where each starts: no string object each.
// A sync's index holds one per post, 490,000 at society ×32, for the whole
// sync; as strings they were that many more objects for every full garbage
// collection to mark, in the thread that reads the download.
import { doubled } from './typed-arrays';
import { hash32, hashBytes } from './hash';

/** Characters made into a string at a time. */
const CHUNK = 4096;

export class StringStore {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  private starts = new Uint32Array(1024);
  /** 1 where a string was cleared. */
  private cleared = new Uint8Array(1024);
  /** Strings with a character past one byte, as they are. */
  private readonly wide = new Map<number, string>();
  length = 0;

  push(text: string): void {
    if (this.length + 1 >= this.starts.length) {
      this.starts = doubled(this.starts);
      this.cleared = doubled(this.cleared);
    }
    const place = this.length++;
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
    if (this.cleared[place]) return '';
    const wide = this.wide.get(place);
    if (wide !== undefined) return wide;
    const start = this.starts[place]!;
    const end = this.starts[place + 1]!;
    if (end - start <= CHUNK) return String.fromCharCode(...this.bytes.subarray(start, end));
    // Past an engine's limit on arguments, a piece at a time.
    let text = '';
    for (let at = start; at < end; at += CHUNK) text += String.fromCharCode(...this.bytes.subarray(at, Math.min(end, at + CHUNK)));
    return text;
  }

  /** Whether the string at `place` is `text`, without making it. */
  matches(place: number, text: string): boolean {
    if (place < 0 || place >= this.length) return false;
    if (this.cleared[place]) return text === '';
    const wide = this.wide.get(place);
    if (wide !== undefined) return wide === text;
    const start = this.starts[place]!;
    if (this.starts[place + 1]! - start !== text.length) return false;
    for (let k = 0; k < text.length; k++) if (this.bytes[start + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** Whether the string at `place` was cleared (or was empty). */
  isEmpty(place: number): boolean {
    return this.cleared[place] === 1 || (this.starts[place + 1] === this.starts[place] && !this.wide.has(place));
  }

  /** Makes the string at `place` empty. */
  clear(place: number): void {
    this.cleared[place] = 1;
    this.wide.delete(place);
  }

  /** hash32 of the string at `place`, without making it; -1 for an empty or cleared one. */
  hashAt(place: number): number {
    if (place < 0 || place >= this.length || this.isEmpty(place)) return -1;
    const wide = this.wide.get(place);
    if (wide !== undefined) return hash32(wide);
    return hashBytes(this.bytes, this.starts[place]!, this.starts[place + 1]!);
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
      if (!this.cleared[place]) size += this.starts[place + 1]! - this.starts[place]!;
    }
    const out = new Uint8Array(size);
    const sep = separator.charCodeAt(0);
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (i > 0) out[at++] = sep;
      const place = placeOf(i);
      if (this.cleared[place]) continue;
      const start = this.starts[place]!;
      const end = this.starts[place + 1]!;
      // A byte at a time: a view of each id to copy from was an object per post.
      for (let b = start; b < end; b++) out[at++] = this.bytes[b]!;
    }
    return bytesToText(out);
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
