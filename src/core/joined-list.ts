// A list of strings kept as the one string they were stored as (joined by
// newlines), read one at a time: an index's list of its posts' ids (490,000
// at society ×32) and of its grams with rows of their own (160,000). Split
// into strings they were most of the background's objects, 650,000 of the
// 730,000 every full garbage collection marked after a large sync.
import { Places } from './number-table';

export class JoinedList {
  readonly length: number;
  /** Where each string starts in the text; one more, past the end. */
  private readonly starts: Uint32Array;
  /** Each string's place, made at the first `get`. */
  private places: Places | null = null;

  constructor(private readonly text: string) {
    let count = text ? 1 : 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
    this.length = count;
    this.starts = new Uint32Array(count + 1);
    let k = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.starts[k++] = at + 1;
    this.starts[count] = text.length + 1;
  }

  /** The string at `i`, as `Array.prototype.at` gives it (a new string each call). */
  at(i: number): string | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return this.text.slice(this.starts[i]!, this.starts[i + 1]! - 1);
  }

  /** Whether the string at `i` is empty, without making it. */
  empty(i: number): boolean {
    return this.starts[i + 1]! - this.starts[i]! === 1;
  }

  /** Where `text` is in the list (its last place, if twice), as a map from string to place would say. */
  get(text: string): number | undefined {
    if (!this.places) {
      const places = new Places((k) => this.at(k)!);
      for (let k = 0; k < this.length; k++) places.set(this.at(k)!, k);
      this.places = places;
    }
    const place = this.places.get(text);
    return place < 0 ? undefined : place;
  }
}
