// Tables and lists in typed arrays: an index of 122,000 posts has 160,000
// grams and 122,000 post ids to look up while it is built. As Maps they were
// millions of bytes of hash tables and boxed numbers in the JavaScript heap,
// which raise the collector's threshold (and with it the sync's peak) for
// the whole sync; typed arrays are outside that heap and a third the size.
import { hash32 } from './hash';
import { doubled } from './typed-arrays';

const EMPTY = -1;

function spread(key: number): number {
  // Keys may be above 2^32 (a bigram is up to 0x110000²): fold the high part in.
  const high = Math.floor(key / 4294967296);
  let h = Math.imul((key >>> 0) ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Non-negative integer keys (below 2^53) to non-negative integer values, by open addressing. */
export class NumberTable {
  private keys = new Float64Array(1024).fill(EMPTY);
  private values = new Int32Array(1024);
  size = 0;

  /** The value of `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = spread(key) & mask; ; slot = (slot + 1) & mask) {
      const at = this.keys[slot]!;
      if (at === key) return this.values[slot]!;
      if (at === EMPTY) return -1;
    }
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 4 > this.keys.length * 3) this.grow();
    const mask = this.keys.length - 1;
    for (let slot = spread(key) & mask; ; slot = (slot + 1) & mask) {
      const at = this.keys[slot]!;
      if (at === key) {
        this.values[slot] = value;
        return;
      }
      if (at === EMPTY) {
        this.keys[slot] = key;
        this.values[slot] = value;
        this.size++;
        return;
      }
    }
  }

  forEach(each: (value: number, key: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++) if (this.keys[slot] !== EMPTY) each(this.values[slot]!, this.keys[slot]!);
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== EMPTY) this.set(keys[slot]!, values[slot]!);
  }
}

/** A growable list of numbers of one typed-array kind. */
export class NumberList<T extends Float64Array | Int32Array> {
  length = 0;

  constructor(private array: T) {}

  push(value: number): void {
    if (this.length === this.array.length) this.array = doubled(this.array);
    this.array[this.length++] = value;
  }

  at(index: number): number {
    return this.array[index]!;
  }

  /** Replaces the number at `index` (below `length`). */
  set(index: number, value: number): void {
    this.array[index] = value;
  }

  /** The numbers as one array of their length (a copy). */
  toArray(): T {
    return this.array.slice(0, this.length) as T;
  }
}

/**
 * Strings to the place they were last put at, for strings kept in an array
 * anyway (`at` reads them back): only places are stored, found by the
 * string's hash and checked against the string itself. The hashes are not
 * kept beside the places (4 bytes a slot, 4 MiB of a ×32 sync's index of
 * 490,000 posts): a probe compares the strings (a StringStore compares bytes,
 * and ids of one length differ in their first characters), and growing the
 * table hashes each string again (`hashAt`, without making it).
 */
export class Places {
  private slots = new Int32Array(1024).fill(EMPTY);
  size = 0;
  private readonly matches: (place: number, text: string) => boolean;
  private readonly hashAt: (place: number) => number;

  /**
   * `matches` says whether the string at a place is `text` without making it
   * (a StringStore compares its bytes): made for every probe, strings were
   * ≈ 0.36 s of the background's time in the sync of teahouse's size.
   * `hashAt` is hash32 of the string at a place (a StringStore's, without
   * making it).
   */
  constructor(
    at: (place: number) => string,
    matches?: (place: number, text: string) => boolean,
    hashAt?: (place: number) => number,
  ) {
    this.matches = matches ?? ((place, text) => at(place) === text);
    this.hashAt = hashAt ?? ((place) => hash32(at(place)));
  }

  get(text: string): number {
    const slot = this.slotOf(text, hash32(text));
    return this.slots[slot]!;
  }

  /** Puts `text` at `place`; where it was before (still readable through `at`) is forgotten. */
  set(text: string, place: number): void {
    if ((this.size + 1) * 4 > this.slots.length * 3) this.grow();
    const slot = this.slotOf(text, hash32(text));
    if (this.slots[slot] === EMPTY) this.size++;
    this.slots[slot] = place;
  }

  private slotOf(text: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const place = this.slots[slot]!;
      if (place === EMPTY || this.matches(place, text)) return slot;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (let k = 0; k < old.length; k++) {
      const place = old[k]!;
      if (place === EMPTY) continue;
      let slot = this.hashAt(place) & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = place;
    }
  }
}
