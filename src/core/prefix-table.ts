// The search index's prefixes of spaced words (Latin, digits: 2 to 8 UTF-16
// units each) and their posting lists, looked up by a piece of a text
// without making a string of it. A Map keyed by strings made up to seven
// short strings for every word of every post a sync indexed (descriptions
// are full of links and English): 80 MiB of garbage for society's 15,000
// posts, more than any other part of indexing. Here a prefix's units are
// kept in typed arrays, in the order first met, and made a string only when
// its segment's rows are written.
import { doubled } from './typed-arrays';

/** The longest prefix kept (MAX_PREFIX of search-index.ts). */
export const PREFIX_UNITS = 8;

/** FNV-1a's step: a prefix's hash is its last unit folded into the hash of the prefix one shorter. */
export function prefixHash(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}
export const PREFIX_SEED = 0x811c9dc5 | 0;

export class PrefixTable {
  /** Each slot's prefix number + 1 (0: empty). */
  private slots = new Int32Array(1 << 10);
  /** 32 less the slots' bits: a hash's top bits pick its first slot. */
  private shift = 32 - 10;
  /** Per prefix, in the order added: its units (PREFIX_UNITS a prefix), length, hash and list. */
  private units = new Uint16Array(PREFIX_UNITS << 9);
  private lengths = new Uint8Array(1 << 9);
  private hashes = new Int32Array(1 << 9);
  private lists = new Int32Array(1 << 9);
  size = 0;

  /** The list of `text.slice(start, start + length)`, whose hash (prefixHash from PREFIX_SEED over its units) is `hash`; -1 when absent. */
  get(text: string, start: number, length: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = this.slotOf(hash); ; slot = (slot + 1) & mask) {
      const n = this.slots[slot]! - 1;
      if (n < 0) return -1;
      if (this.hashes[n] === hash && this.lengths[n] === length && this.same(n, text, start, length)) return this.lists[n]!;
    }
  }

  /** Adds a prefix that is not in the table (get said -1). */
  add(text: string, start: number, length: number, hash: number, list: number): void {
    if (length > PREFIX_UNITS) throw new RangeError(`a prefix has at most ${PREFIX_UNITS} units`);
    const n = this.size++;
    if (n >= this.lengths.length) this.growEntries();
    for (let k = 0; k < length; k++) this.units[n * PREFIX_UNITS + k] = text.charCodeAt(start + k);
    this.lengths[n] = length;
    this.hashes[n] = hash;
    this.lists[n] = list;
    if (this.size * 4 > this.slots.length * 3) this.growSlots();
    else this.place(n);
  }

  /** Each prefix's list and text, in the order they were added. */
  forEach(each: (list: number, prefix: string) => void): void {
    for (let n = 0; n < this.size; n++) each(this.lists[n]!, this.text(n));
  }

  clear(): void {
    this.size = 0;
    this.slots = new Int32Array(1 << 10);
    this.shift = 32 - 10;
    this.units = new Uint16Array(PREFIX_UNITS << 9);
    this.lengths = new Uint8Array(1 << 9);
    this.hashes = new Int32Array(1 << 9);
    this.lists = new Int32Array(1 << 9);
  }

  private text(n: number): string {
    const at = n * PREFIX_UNITS;
    // By apply: a spread walks the units with an iterator, an object each.
    return String.fromCharCode.apply(null, this.units.subarray(at, at + this.lengths[n]!) as unknown as number[]);
  }

  private same(n: number, text: string, start: number, length: number): boolean {
    const at = n * PREFIX_UNITS;
    for (let k = 0; k < length; k++) if (this.units[at + k] !== text.charCodeAt(start + k)) return false;
    return true;
  }

  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> this.shift;
  }

  private place(n: number): void {
    const mask = this.slots.length - 1;
    let slot = this.slotOf(this.hashes[n]!);
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = n + 1;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.shift--;
    for (let n = 0; n < this.size; n++) this.place(n);
  }

  private growEntries(): void {
    this.units = doubled(this.units);
    this.lengths = doubled(this.lengths);
    this.hashes = doubled(this.hashes);
    this.lists = doubled(this.lists);
  }
}
