// A Map and a Set keyed by text that never make the engine atomize it.
// Firefox's engine turns every string used as a Map or Set key into an atom,
// on lookups too (SpiderMonkey's HashableValue::setValue, in
// js/src/builtin/MapObject.cpp: "Atomize so that hash() and operator==() are
// fast"), and atoms live in a zone of their own that only a collection of
// every zone of the process sweeps. A sync that looked up each file's path
// (mostly Chinese: two bytes a character) and each post's key in Maps left
// them all there: 21 MiB of atoms in the extension process midway through
// society ×8, and up to 126 MiB through ×32. Here a key is found by its
// 32-bit hash, a number (never atomized), and the rare keys sharing a hash are
// told apart by their text. Chrome's engine hashes a Map's string keys in
// place; there these cost a hash in JavaScript instead.
import { hash32 } from './hash';

const NONE = -1;

/** 30 bits: a number both engines keep unboxed (V8's small integers are 31 bits). */
const hashOf = (key: string) => hash32(key) & 0x3fffffff;

/** Deleted entries kept before a map is packed again (and only once they outnumber the rest). */
const HOLES = 1024;

export class TextMap<V> implements Iterable<[string, V]> {
  /** The first entry of each hash; later entries of the same hash follow `next`. */
  private heads = new Map<number, number>();
  private keyAt: (string | undefined)[] = [];
  private valueAt: (V | undefined)[] = [];
  private next: number[] = [];
  private count = 0;
  /** Entries deleted since the map was last packed. */
  private holes = 0;
  /** Iterations under way: the map is not packed under them. */
  private walking = 0;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries) for (const [key, value] of entries) this.set(key, value);
  }

  get size(): number {
    return this.count;
  }

  private find(key: string, hash: number): number {
    let at = this.heads.get(hash) ?? NONE;
    while (at !== NONE && this.keyAt[at] !== key) at = this.next[at]!;
    return at;
  }

  get(key: string): V | undefined {
    const at = this.find(key, hashOf(key));
    return at === NONE ? undefined : this.valueAt[at];
  }

  has(key: string): boolean {
    return this.find(key, hashOf(key)) !== NONE;
  }

  set(key: string, value: V): this {
    const hash = hashOf(key);
    const at = this.find(key, hash);
    if (at !== NONE) {
      this.valueAt[at] = value;
      return this;
    }
    // A deleted entry stays in its chain with no key: new ones go in front.
    const added = this.keyAt.length;
    this.keyAt.push(key);
    this.valueAt.push(value);
    this.next.push(this.heads.get(hash) ?? NONE);
    this.heads.set(hash, added);
    this.count++;
    return this;
  }

  delete(key: string): boolean {
    const at = this.find(key, hashOf(key));
    if (at === NONE) return false;
    this.keyAt[at] = undefined;
    this.valueAt[at] = undefined;
    this.count--;
    this.holes++;
    // A map that is filled and emptied as it goes (the shas a sync waits for) would otherwise
    // keep a slot and a hash of every key it ever held: 14 MiB by the end of society ×32.
    if (this.walking === 0 && this.holes >= HOLES && this.holes > this.count) this.pack();
    return true;
  }

  /** Makes the map again of its entries, in their order. */
  private pack(): void {
    const keys = this.keyAt;
    const values = this.valueAt;
    this.heads = new Map();
    this.keyAt = [];
    this.valueAt = [];
    this.next = [];
    this.count = 0;
    this.holes = 0;
    for (let at = 0; at < keys.length; at++) if (keys[at] !== undefined) this.set(keys[at]!, values[at] as V);
  }

  /** Entries in the order they were first set, as a Map gives them. */
  *entries(): IterableIterator<[string, V]> {
    this.walking++;
    try {
      for (let at = 0; at < this.keyAt.length; at++) {
        const key = this.keyAt[at];
        if (key !== undefined) yield [key, this.valueAt[at] as V];
      }
    } finally {
      this.walking--;
    }
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}

export class TextSet implements Iterable<string> {
  private readonly map = new TextMap<true>();

  constructor(keys?: Iterable<string>) {
    if (keys) for (const key of keys) this.add(key);
  }

  get size(): number {
    return this.map.size;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  add(key: string): this {
    this.map.set(key, true);
    return this;
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.map.keys();
  }
}
