// Short strings (post ids) appended one after another and read back by
// place, kept as one byte a character where every character fits in one
// (ids are hex), with a table of where each starts: no string object each.
// A sync's index holds one per post, 490,000 at society ×32, for the whole
// sync; as strings they were that many more objects for every full garbage
// collection to mark, in the thread that reads the download.
import { doubled } from './typed-arrays';

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

  /** All of them, joined by `separator`. */
  join(separator: string): string {
    const parts: string[] = [];
    for (let place = 0; place < this.length; place++) parts.push(this.at(place)!);
    return parts.join(separator);
  }
}
