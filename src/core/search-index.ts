// The search index's pure half: which grams a post holds and a query needs,
// and posting lists in a compact binary form. The database half (db/
// search-index.ts) stores the lists and answers queries with them.
//
// Chinese (and Japanese, Korean, Thai) has no spaces between words, so text in
// those scripts is indexed as single characters and character bigrams; a
// query of two or more such characters needs its bigrams, one character its
// unigram. Latin, Greek and Cyrillic words and numbers are indexed by their
// prefixes of 2 to 8 characters, so a word being typed already matches.
// Everything is folded first (fold.ts), so both Chinese scripts meet.
//
// Why not a general-purpose search library: their tokenizers split on spaces
// or on Intl.Segmenter's dictionary words, and a query like 秦刚究竟 is not a
// dictionary word of the title it is cut from; bigrams find any substring.
// The grams only narrow: every candidate is checked with scorePost before it
// is shown, so the index can be approximate and results never are.
import { foldForSearch, isLetterUnit, isSpacedLetter } from './fold';
import { NumberTable } from './number-table';
import { PREFIX_SEED, PREFIX_UNITS, prefixHash, PrefixTable } from './prefix-table';
import { doubled } from './typed-arrays';
import { WEIGHT, type Searchable } from './search';

/** Which fields of a post hold a gram: one bit each. */
export const FIELD = { title: 1, tags: 2, channel: 4, text: 8 } as const;
const FIELD_BITS = 16;

const MAX_PREFIX = PREFIX_UNITS;

const enum Kind {
  Other,
  /** Words separated by spaces (Latin, Greek, Cyrillic, digits). */
  Spaced,
  /** Scripts written without spaces (Han, kana, Hangul, Thai…). */
  Unspaced,
}

const LETTER = /[\p{L}\p{N}]/u;

function kindOf(code: number, text: string, at: number): Kind {
  if (code < 0x0e00) return isSpacedLetter(text, at) ? Kind.Spaced : Kind.Other;
  if ((code >= 0x3400 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0x3040 && code <= 0x30ff) || (code >= 0xac00 && code <= 0xd7a3)) return Kind.Unspaced;
  if (code >= 0xd800 && code <= 0xdbff) return LETTER.test(text.slice(at, at + 2)) ? Kind.Unspaced : Kind.Other;
  return isLetterUnit(code) ? Kind.Unspaced : Kind.Other;
}

/**
 * Calls `visit` with each word (spaced scripts) and each run (unspaced
 * scripts) of a folded text, split into code points for runs.
 */
function segments(text: string, word: (w: string) => void, run: (chars: string[]) => void): void {
  let i = 0;
  while (i < text.length) {
    const kind = kindOf(text.charCodeAt(i), text, i);
    if (kind === Kind.Other) {
      i++;
      continue;
    }
    const start = i;
    const chars: string[] = [];
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (kindOf(code, text, i) !== kind) break;
      const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
      if (kind === Kind.Unspaced) chars.push(width === 1 ? text[i]! : text.slice(i, i + 2));
      i += width;
    }
    if (kind === Kind.Spaced) word(text.slice(start, i));
    else run(chars);
  }
}

/**
 * A gram while an index is built: characters of unspaced scripts as numbers
 * (a code point; a bigram as (first + 1) × 0x110000 + second), so the
 * hundreds of grams of each post make no strings; Latin prefixes as strings.
 * Each distinct gram becomes text once, when the rows are written.
 */
type GramKey = number | string;
const PLANE = 0x110000;

function gramText(key: GramKey): string {
  if (typeof key === 'string') return key;
  return key < PLANE ? String.fromCodePoint(key) : String.fromCodePoint(Math.floor(key / PLANE) - 1) + String.fromCodePoint(key % PLANE);
}

/** What the index reads of a post. */
export type IndexedFields = Pick<Searchable, 'title' | 'channel' | 'author' | 'tags' | 'summary'>;

/** Those fields alone, without the rest of the post (kept, or sent to the sync engine, until the post is indexed). */
export function indexedFields(post: IndexedFields): IndexedFields {
  return { title: post.title, channel: post.channel, author: post.author, tags: post.tags, summary: post.summary };
}

export interface TermGrams {
  grams: string[];
  /** True when every post holding the grams holds the term (the grams say it all: `罗宾`, `秦`, `covid`). */
  exact: boolean;
}

/**
 * The grams a post must hold to contain a folded query term. A Latin word
 * of one letter adds nothing (it would match nearly every post); a term
 * made only of such words has no grams and cannot narrow.
 */
export function termGrams(term: string): TermGrams {
  const grams = new Set<string>();
  let pieces = 0;
  let exact = true;
  segments(
    term,
    (word) => {
      pieces++;
      if (word.length >= 2) grams.add(word.slice(0, MAX_PREFIX));
      if (word.length < 2 || word.length > MAX_PREFIX) exact = false;
    },
    (chars) => {
      pieces++;
      if (chars.length === 1) grams.add(chars[0]!);
      for (let k = 0; k + 1 < chars.length; k++) grams.add(chars[k]! + chars[k + 1]!);
      if (chars.length > 2) exact = false;
    },
  );
  // Several pieces (words, or a word and a run) must also be in that order.
  return { grams: [...grams], exact: exact && pieces === 1 };
}

/** Which of `buckets` rows holds a gram (FNV-1a over UTF-16 code units). */
export function bucketOf(gram: string, buckets: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < gram.length; i++) {
    hash ^= gram.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

/**
 * Every posting list of an index being built, in one arena: each list is a
 * chain of blocks (16 bytes, then twice as large up to 1 KiB) in a few large
 * buffers, and each list's state lives in typed arrays indexed by gram
 * number. A list per gram as an object with its own buffer was 145,000
 * objects and ArrayBuffers at 122,000 posts, and three times the memory of
 * the bytes themselves.
 *
 * A list holds ordinals ascending, each with its field bits, as varints of
 * the gap. The current post's bits are gathered first (a gram comes many
 * times in one post), so no per-post set is needed.
 */
class PostingArena {
  private static readonly PAGE_BITS = 22;
  private static readonly PAGE = 1 << PostingArena.PAGE_BITS;
  private static readonly OFFSET = PostingArena.PAGE - 1;
  // Each list's state, side by side in one array (STRIDE numbers a list), so
  // a touch reads one cache line instead of one in each of eight arrays: at
  // 145,000 lists those misses were most of indexing's time. Block addresses
  // (page << PAGE_BITS | offset) stay below 2^32 (1,024 pages of 4 MiB) and
  // are kept as int32 bits, read back with `>>> 0`.
  private static readonly STRIDE = 8;
  /**
   * The first page starts small and doubles up to a full page as lists
   * grow: a builder took 4 MiB at once, and every index makes one more than
   * it fills (its last segment's cut starts the next). The built-in
   * archive's two sources so left 19.9 MiB of ArrayBuffers in Firefox's
   * background page, 4.5 with this (about:memory before a sync; the
   * collector counts them towards its next collection). Resident memory was
   * the same: pages never written are not resident.
   */
  private static readonly FIRST_PAGE = 64 * 1024;
  private pages: Uint8Array[] = [new Uint8Array(PostingArena.FIRST_PAGE)];
  private top = 0;
  private state = new Int32Array(1024 * PostingArena.STRIDE);
  lists = 0;

  /** Bytes of blocks handed out so far (what the arena holds, about). */
  get allocated(): number {
    return (this.pages.length - 1) * PostingArena.PAGE + this.top;
  }

  /** A new, empty list; returns its number. */
  open(): number {
    const n = this.lists++;
    if ((n + 1) * PostingArena.STRIDE > this.state.length) this.state = doubled(this.state);
    const s = n * PostingArena.STRIDE;
    const block = this.allocate(16);
    this.state[s + FIRST] = this.state[s + BLOCK] = block;
    this.state[s + SIZE] = 16;
    this.state[s + FILL] = 4; // the block's first 4 bytes link to the next block
    this.state[s + LAST] = -1;
    this.state[s + PENDING] = -1;
    return n;
  }

  touch(list: number, ordinal: number, field: number): void {
    const state = this.state;
    const s = list * PostingArena.STRIDE;
    if (state[s + PENDING] === ordinal) {
      state[s + FIELDS] = state[s + FIELDS]! | field;
      return;
    }
    if (state[s + PENDING]! >= 0) this.write(s);
    state[s + PENDING] = ordinal;
    state[s + FIELDS] = field;
  }

  flush(list: number): void {
    const s = list * PostingArena.STRIDE;
    if (this.state[s + PENDING]! >= 0) this.write(s);
  }

  /** Writes a list's pending ordinal (its state at `s`) as the varint of its gap. */
  private write(s: number): void {
    const state = this.state;
    const ordinal = state[s + PENDING]!;
    let value = (ordinal - state[s + LAST]! - 1) * FIELD_BITS + state[s + FIELDS]!;
    state[s + LAST] = ordinal;
    state[s + PENDING] = -1;
    // Most gaps take one or two bytes and fit the current block: written at once, not a call per byte.
    const fill = state[s + FILL]!;
    if (value < 0x4000 && fill + 2 <= state[s + SIZE]!) {
      const at = state[s + BLOCK]! >>> 0;
      const page = this.pages[at >>> PostingArena.PAGE_BITS]!;
      const offset = (at & PostingArena.OFFSET) + fill;
      if (value < 0x80) {
        page[offset] = value;
        state[s + FILL] = fill + 1;
        state[s + BYTES]! += 1;
      } else {
        page[offset] = (value & 0x7f) | 0x80;
        page[offset + 1] = value >>> 7;
        state[s + FILL] = fill + 2;
        state[s + BYTES]! += 2;
      }
      return;
    }
    while (value >= 0x80) {
      this.put(s, (value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.put(s, value);
  }

  /** How many bytes a list holds. */
  length(list: number): number {
    return this.state[list * PostingArena.STRIDE + BYTES]!;
  }

  /** Copies a list's bytes into `out` at `at`. */
  copy(list: number, out: Uint8Array, at: number): void {
    let left = this.length(list);
    let block = this.state[list * PostingArena.STRIDE + FIRST]! >>> 0;
    let size = 16;
    while (left > 0) {
      const page = this.pages[block >>> PostingArena.PAGE_BITS]!;
      const offset = block & PostingArena.OFFSET;
      const take = Math.min(left, size - 4);
      out.set(page.subarray(offset + 4, offset + 4 + take), at);
      at += take;
      left -= take;
      block = this.next(page, offset);
      size = Math.min(size * 2, 1024);
    }
  }

  private put(s: number, byte: number): void {
    const state = this.state;
    if (state[s + FILL] === state[s + SIZE]) {
      const size = Math.min(state[s + SIZE]! * 2, 1024);
      const block = this.allocate(size);
      const current = state[s + BLOCK]! >>> 0;
      this.writeLink(this.pages[current >>> PostingArena.PAGE_BITS]!, current & PostingArena.OFFSET, block);
      state[s + BLOCK] = block;
      state[s + SIZE] = size;
      state[s + FILL] = 4;
    }
    const at = state[s + BLOCK]! >>> 0;
    this.pages[at >>> PostingArena.PAGE_BITS]![(at & PostingArena.OFFSET) + state[s + FILL]!] = byte;
    state[s + FILL]! += 1;
    state[s + BYTES]! += 1;
  }

  private writeLink(page: Uint8Array, offset: number, link: number): void {
    // Four bytes, little-endian.
    page[offset] = link & 0xff;
    page[offset + 1] = (link >>> 8) & 0xff;
    page[offset + 2] = (link >>> 16) & 0xff;
    page[offset + 3] = (link >>> 24) & 0xff;
  }

  private next(page: Uint8Array, offset: number): number {
    return (page[offset]! | (page[offset + 1]! << 8) | (page[offset + 2]! << 16) | (page[offset + 3]! << 24)) >>> 0;
  }

  /** A block of `size` bytes; its address as int32 bits. */
  private allocate(size: number): number {
    const last = this.pages.length - 1;
    const page = this.pages[last]!;
    if (this.top + size > page.length) {
      if (this.top + size <= PostingArena.PAGE) {
        // Only the first page is ever smaller than a page: it grows in place (addresses are offsets).
        let length = page.length * 2;
        while (length < this.top + size) length *= 2;
        const grown = new Uint8Array(Math.min(length, PostingArena.PAGE));
        grown.set(page.subarray(0, this.top));
        this.pages[last] = grown;
      } else {
        this.pages.push(new Uint8Array(PostingArena.PAGE));
        this.top = 0;
      }
    }
    const address = ((this.pages.length - 1) << PostingArena.PAGE_BITS) | this.top;
    this.top += size;
    return address;
  }
}

// Where each number of a list's state is in PostingArena's state array.
const FIRST = 0;
const BLOCK = 1;
const FILL = 2;
const SIZE = 3;
const LAST = 4;
const PENDING = 5;
const FIELDS = 6;
const BYTES = 7;

/**
 * Non-zero 32-bit keys (two BMP characters) to list numbers, by open
 * addressing with a multiplicative hash: the bigrams of an index, its most
 * numerous grams.
 */
class PairTable {
  private keys = new Uint32Array(1 << 12);
  private values = new Int32Array(1 << 12);
  private shift = 32 - 12;
  size = 0;

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = Math.imul(key, 0x9e3779b1) >>> this.shift; ; slot = (slot + 1) & mask) {
      const at = this.keys[slot]!;
      if (at === key) return this.values[slot]!;
      if (at === 0) return -1;
    }
  }

  /** Adds a key that is not in the table. */
  set(key: number, value: number): void {
    if ((this.size + 1) * 4 > this.keys.length * 3) this.grow();
    const mask = this.keys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.keys[slot] !== 0) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.values[slot] = value;
    this.size++;
  }

  forEach(each: (value: number, key: number) => void): void {
    for (let slot = 0; slot < this.keys.length; slot++) if (this.keys[slot] !== 0) each(this.values[slot]!, this.keys[slot]!);
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.shift--;
    this.size = 0;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== 0) this.set(keys[slot]!, values[slot]!);
  }
}

/** One stored row of the index: the posting lists of the grams that hash to it. */
export interface BucketData {
  bucket: number;
  /** The grams, joined by `\n` (grams never hold one). */
  grams: string;
  /** Where each gram's list ends in `data`. */
  ends: Uint32Array;
  data: Uint8Array;
}

/**
 * Builds the index of one generation of a source, or one segment of it, post
 * by post in ordinal order. A segment's builder starts at the ordinal the
 * previous one reached: its lists hold the generation's own ordinals, so the
 * lists of one gram in successive segments, put end to end, are its list.
 */
export class IndexBuilder {
  // Each gram's list number. Characters of the Basic Multilingual Plane in a
  // direct table and their bigrams in a table keyed by 32 bits: the two hold
  // nearly every gram of a Chinese archive, looked up hundreds of times per
  // post. Other characters and bigrams (numbers) and Latin prefixes (strings)
  // in general tables.
  private readonly chars = new Int32Array(0x10000).fill(-1);
  private charCount = 0;
  private readonly pairs = new PairTable();
  private readonly lists = new NumberTable();
  private readonly words = new PrefixTable();
  private readonly arena = new PostingArena();
  private count: number;

  constructor(firstOrdinal = 0) {
    this.count = firstOrdinal;
  }

  /** The ordinal the next post gets. */
  get next(): number {
    return this.count;
  }

  /** About how much memory the posting lists take. */
  get bytes(): number {
    return this.arena.allocated;
  }

  /** Adds the next post; returns its ordinal. */
  add(post: IndexedFields): number {
    const ordinal = this.count++;
    this.addText(foldForSearch(post.title), FIELD.title, ordinal);
    for (const tag of post.tags) this.addText(foldForSearch(tag), FIELD.tags, ordinal);
    this.addText(foldForSearch(`${post.channel}\n${post.author}`), FIELD.channel, ordinal);
    this.addText(foldForSearch(post.summary), FIELD.text, ordinal);
    return ordinal;
  }

  /** Touches the list of each gram of one field's folded text: characters and bigrams of unspaced scripts, prefixes of 2 to 8 characters of spaced words. */
  private addText(folded: string, field: number, ordinal: number): void {
    const arena = this.arena;
    let i = 0;
    while (i < folded.length) {
      const code = folded.charCodeAt(i);
      const kind = kindOf(code, folded, i);
      if (kind === Kind.Other) {
        i++;
        continue;
      }
      const start = i;
      let previous = -1;
      while (i < folded.length) {
        const at = folded.charCodeAt(i);
        if (kindOf(at, folded, i) !== kind) break;
        if (kind === Kind.Unspaced) {
          const point = at < 0xd800 || at > 0xdbff ? at : folded.codePointAt(i)!;
          arena.touch(this.charList(point), ordinal, field);
          if (previous >= 0) arena.touch(this.pairList(previous, point), ordinal, field);
          previous = point;
          i += point > 0xffff ? 2 : 1;
        } else i++;
      }
      if (kind === Kind.Spaced) {
        let hash = prefixHash(PREFIX_SEED, folded.charCodeAt(start));
        for (let n = 2; n <= Math.min(i - start, MAX_PREFIX); n++) {
          hash = prefixHash(hash, folded.charCodeAt(start + n - 1));
          let list = this.words.get(folded, start, n, hash);
          if (list < 0) this.words.add(folded, start, n, hash, (list = arena.open()));
          arena.touch(list, ordinal, field);
        }
      }
    }
  }

  private charList(point: number): number {
    if (point <= 0xffff) {
      let list = this.chars[point]!;
      if (list < 0) {
        this.chars[point] = list = this.arena.open();
        this.charCount++;
      }
      return list;
    }
    return this.numberList(point);
  }

  private pairList(first: number, second: number): number {
    if (first <= 0xffff && second <= 0xffff) {
      // Never 0: a pair of characters of unspaced scripts has a first above 0.
      const key = ((first << 16) | second) >>> 0;
      let list = this.pairs.get(key);
      if (list < 0) this.pairs.set(key, (list = this.arena.open()));
      return list;
    }
    return this.numberList((first + 1) * PLANE + second);
  }

  private numberList(key: number): number {
    let list = this.lists.get(key);
    if (list < 0) this.lists.set(key, (list = this.arena.open()));
    return list;
  }

  get grams(): number {
    return this.charCount + this.pairs.size + this.lists.size + this.words.size;
  }

  /**
   * How many rows to spread the grams with short lists over: about 512 a
   * row. Each row costs the database more than its bytes (with rows of 64
   * grams, writing society's index took 570 ms of its sync in Chromium and
   * 690 ms in Firefox), and lists of common grams, which make rows large,
   * have rows of their own (see buckets).
   */
  bucketCount(): number {
    let n = 16;
    while (n < 16384 && n * 512 < this.grams) n *= 2;
    return n;
  }

  /**
   * The rows; the builder is spent afterwards. Rows 0 to count - 1 hold the
   * grams whose lists are shorter than `ownRowFrom` bytes, each in the row
   * bucketOf names; each longer list follows in a row of its own, in the
   * order of the index's `own` list (rowOf finds either), so a query for a
   * rare gram never reads a common one's list.
   */
  *buckets(count = this.bucketCount(), ownRowFrom = OWN_ROW_FROM): Generator<BucketData> {
    // Each gram by number, in the order met: its list and its key (a word's is
    // minus one more than its place in `words`). A segment of society ×32 has
    // hundreds of thousands of grams: an object and a string each, all made
    // as the segment was cut, were tens of MiB at once on the heap of the
    // thread that reads the download (Chromium's service worker).
    const total = this.grams;
    const listOf = new Int32Array(total);
    const keyOf = new Float64Array(total);
    const words: string[] = [];
    const rowAt = new Int32Array(total);
    const own: number[] = [];
    const starts = new Int32Array(count + 1);
    let n = 0;
    const group = (list: number, key: number, text?: string) => {
      this.arena.flush(list);
      listOf[n] = list;
      keyOf[n] = key;
      if (this.arena.length(list) >= ownRowFrom) {
        rowAt[n] = -1;
        own.push(n);
      } else {
        rowAt[n] = text === undefined ? bucketOfKey(key, count) : bucketOf(text, count);
        starts[rowAt[n]! + 1]!++;
      }
      n++;
    };
    for (let point = 0; point < 0x10000; point++) if (this.chars[point]! >= 0) group(this.chars[point]!, point);
    this.pairs.forEach((list, key) => group(list, (Math.floor(key / 0x10000) + 1) * PLANE + (key & 0xffff)));
    this.lists.forEach((list, key) => group(list, key));
    this.words.forEach((list, word) => {
      words.push(word);
      group(list, -words.length, word);
    });
    this.words.clear();
    // A counting sort by row, keeping the order met within each row.
    for (let r = 0; r < count; r++) starts[r + 1]! += starts[r]!;
    const order = new Int32Array(starts[count]!);
    const next = starts.slice(0, count);
    for (let g = 0; g < n; g++) if (rowAt[g]! >= 0) order[next[rowAt[g]!]!++] = g;
    const textOf = (g: number) => (keyOf[g]! < 0 ? words[-1 - keyOf[g]!]! : gramText(keyOf[g]!));
    for (let bucket = 0; bucket < count; bucket++) {
      if (starts[bucket + 1]! > starts[bucket]!) yield this.row(bucket, order.subarray(starts[bucket]!, starts[bucket + 1]!), listOf, textOf);
    }
    for (const [k, g] of own.entries()) yield this.row(count + k, Int32Array.of(g), listOf, textOf);
  }

  private row(bucket: number, grams: Int32Array, listOf: Int32Array, textOf: (gram: number) => string): BucketData {
    const ends = new Uint32Array(grams.length);
    let size = 0;
    grams.forEach((gram, k) => {
      size += this.arena.length(listOf[gram]!);
      ends[k] = size;
    });
    const data = new Uint8Array(size);
    grams.forEach((gram, k) => this.arena.copy(listOf[gram]!, data, k === 0 ? 0 : ends[k - 1]!));
    return { bucket, grams: Array.from(grams, textOf).join('\n'), ends, data };
  }
}

/** bucketOf of a gram's text, from its number (gramText's), without making the text. */
export function bucketOfKey(key: number, buckets: number): number {
  let hash = 0x811c9dc5;
  const unit = (code: number) => {
    hash ^= code;
    hash = Math.imul(hash, 0x01000193);
  };
  const point = (p: number) => {
    if (p <= 0xffff) unit(p);
    else {
      unit(0xd800 + ((p - 0x10000) >> 10));
      unit(0xdc00 + ((p - 0x10000) & 0x3ff));
    }
  };
  if (key < PLANE) point(key);
  else {
    point(Math.floor(key / PLANE) - 1);
    point(key % PLANE);
  }
  return (hash >>> 0) % buckets;
}

/** Lists of this many bytes or more get a row of their own (a gram in about 5,000 posts or more). */
export const OWN_ROW_FROM = 8 << 10;

/** The row of an index that holds a gram: its own, or its bucket's. */
export function rowOf(gram: string, buckets: number, own: { get(gram: string): number | undefined } | null): number {
  const k = own?.get(gram);
  return k === undefined ? bucketOf(gram, buckets) : buckets + k;
}

/** A decoded posting list: ordinals ascending and the fields of each. */
export interface PostingList {
  ordinals: Uint32Array;
  fields: Uint8Array;
}

export const EMPTY_LIST: PostingList = { ordinals: new Uint32Array(0), fields: new Uint8Array(0) };

/** The posting list of one gram in a stored row, or the empty list. */
export function postingsIn(row: Pick<BucketData, 'grams' | 'ends' | 'data'>, gram: string): PostingList {
  const grams = row.grams.split('\n');
  const k = grams.indexOf(gram);
  if (k < 0) return EMPTY_LIST;
  return decode(row.data.subarray(k === 0 ? 0 : row.ends[k - 1]!, row.ends[k]!));
}

/**
 * The posting list of one gram in an index written in segments: its list in
 * each segment's row (in segment order, null where a segment has no row for
 * it), put end to end. Segments hold successive ranges of ordinals.
 */
export function postingsAcross(rows: readonly (Pick<BucketData, 'grams' | 'ends' | 'data'> | null)[], gram: string): PostingList {
  const lists = rows.flatMap((row) => {
    const list = row ? postingsIn(row, gram) : EMPTY_LIST;
    return list.ordinals.length ? [list] : [];
  });
  if (lists.length <= 1) return lists[0] ?? EMPTY_LIST;
  const length = lists.reduce((n, l) => n + l.ordinals.length, 0);
  const ordinals = new Uint32Array(length);
  const fields = new Uint8Array(length);
  let at = 0;
  for (const list of lists) {
    ordinals.set(list.ordinals, at);
    fields.set(list.fields, at);
    at += list.ordinals.length;
  }
  return { ordinals, fields };
}

/**
 * One encoded list from the encoded lists of a gram in successive segments
 * (each of higher ordinals than the one before), without decoding them: a
 * list's first entry counts from -1, so only it is written again, counting
 * from the previous list's last ordinal; the rest is copied. The lists are
 * named by `parts` (its first `length` numbers), three numbers each: which
 * of `rows` holds it, and where it starts and ends there (a view of each,
 * made for every gram of every segment, was a third of what a merge
 * allocated at society ×32).
 */
export function joinLists(rows: readonly Uint8Array[], parts: ArrayLike<number>, length = parts.length): Uint8Array {
  let size = 0;
  let count = 0;
  let only = -1;
  for (let p = 0; p < length; p += 3) {
    const bytes = parts[p + 2]! - parts[p + 1]!;
    if (bytes === 0) continue;
    size += bytes;
    count++;
    only = p;
  }
  if (count === 0) return new Uint8Array(0);
  if (count === 1) return rows[parts[only]!]!.subarray(parts[only + 1]!, parts[only + 2]!);
  const out = new Uint8Array(size + count * 5);
  let at = 0;
  let last = -1;
  for (let p = 0; p < length; p += 3) {
    const list = rows[parts[p]!]!;
    const start = parts[p + 1]!;
    const end = parts[p + 2]!;
    if (end === start) continue;
    // The first entry: its ordinal, and its length in bytes.
    const first = varintAt(list, start);
    const i = varintEnd;
    const fields = first % FIELD_BITS;
    const ordinal = (first - fields) / FIELD_BITS;
    let value = (ordinal - last - 1) * FIELD_BITS + fields;
    while (value >= 0x80) {
      out[at++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    out[at++] = value;
    // Most lists are a few bytes: copied without a view of each.
    if (end - i < 64) for (let j = i; j < end; j++) out[at++] = list[j]!;
    else {
      out.set(list.subarray(i, end), at);
      at += end - i;
    }
    last = ordinal + gapsAfterFirst(list, i, end);
  }
  return out.slice(0, at);
}

/** The ordinals the entries after the first (from byte `i`) add up to. */
function gapsAfterFirst(list: Uint8Array, i: number, end: number): number {
  let sum = 0;
  while (i < end) {
    const value = varintAt(list, i);
    i = varintEnd;
    sum += (value - (value % FIELD_BITS)) / FIELD_BITS + 1;
  }
  return sum;
}

/** Where the last varintAt's number ended (a tuple a number would be an object per entry). */
let varintEnd = 0;

/** The varint at `at`; varintEnd is where it ends. */
function varintAt(bytes: Uint8Array, at: number): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    scale *= 0x80;
  }
  varintEnd = at;
  return value;
}

function decode(bytes: Uint8Array): PostingList {
  const ordinals = new Uint32Array(bytes.length);
  const fields = new Uint8Array(bytes.length);
  let n = 0;
  let last = -1;
  for (let i = 0; i < bytes.length; ) {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[i++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    const fieldBits = value % FIELD_BITS;
    last += (value - fieldBits) / FIELD_BITS + 1;
    ordinals[n] = last;
    fields[n] = fieldBits;
    n++;
  }
  return { ordinals: ordinals.subarray(0, n), fields: fields.subarray(0, n) };
}

/**
 * The posts in every list of one term, with the fields all of them share for
 * each (a term can only be in a field that holds all of its grams; posts
 * where they share none are dropped). Shortest list first, so the work
 * follows the rarest gram.
 */
export function intersect(lists: readonly PostingList[]): PostingList {
  if (lists.length === 0) return EMPTY_LIST;
  if (lists.length === 1) return lists[0]!;
  const sorted = [...lists].sort((a, b) => a.ordinals.length - b.ordinals.length);
  let ordinals = Uint32Array.from(sorted[0]!.ordinals);
  let fields = Uint8Array.from(sorted[0]!.fields);
  for (const list of sorted.slice(1)) {
    let n = 0;
    let j = 0;
    for (let i = 0; i < ordinals.length; i++) {
      const want = ordinals[i]!;
      while (j < list.ordinals.length && list.ordinals[j]! < want) j++;
      if (j === list.ordinals.length) break;
      if (list.ordinals[j] !== want) continue;
      const common = fields[i]! & list.fields[j]!;
      if (common === 0) continue;
      ordinals[n] = want;
      fields[n] = common;
      n++;
    }
    ordinals = ordinals.subarray(0, n);
    fields = fields.subarray(0, n);
    if (n === 0) break;
  }
  return { ordinals, fields };
}

/** Only the postings whose fields include `bit` (a `channel:` or `tag:` filter). */
export function inField(list: PostingList, bit: number): PostingList {
  const ordinals = new Uint32Array(list.ordinals.length);
  const fields = new Uint8Array(list.ordinals.length);
  let n = 0;
  for (let i = 0; i < list.ordinals.length; i++) {
    if (!(list.fields[i]! & bit)) continue;
    ordinals[n] = list.ordinals[i]!;
    fields[n] = list.fields[i]!;
    n++;
  }
  return { ordinals: ordinals.subarray(0, n), fields: fields.subarray(0, n) };
}

/**
 * The posts in every term's list, and for each term the fields it may be in,
 * post by post (parallel to `ordinals`): terms are intersected without
 * mixing their fields, since one term may be in the title and another in
 * the text.
 */
export function joinTerms(terms: readonly PostingList[]): { ordinals: Uint32Array; fields: Uint8Array[] } {
  if (terms.length === 0) return { ordinals: new Uint32Array(0), fields: [] };
  if (terms.length === 1) return { ordinals: terms[0]!.ordinals, fields: [terms[0]!.fields] };
  const order = terms.map((_, k) => k).sort((a, b) => terms[a]!.ordinals.length - terms[b]!.ordinals.length);
  const first = terms[order[0]!]!;
  // For each kept ordinal, its position in every term's list (typed arrays
  // filled in place: a common character's list holds 100,000 posts).
  let n = first.ordinals.length;
  const ordinals = Uint32Array.from(first.ordinals);
  const at: Uint32Array[] = terms.map(() => new Uint32Array(n));
  for (let i = 0; i < n; i++) at[order[0]!]![i] = i;
  for (const k of order.slice(1)) {
    const list = terms[k]!.ordinals;
    let kept = 0;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const want = ordinals[i]!;
      while (j < list.length && list[j]! < want) j++;
      if (j === list.length) break;
      if (list[j] !== want) continue;
      ordinals[kept] = want;
      for (const positions of at) positions[kept] = positions[i]!;
      at[k]![kept] = j;
      kept++;
    }
    n = kept;
  }
  return {
    ordinals: ordinals.subarray(0, n),
    fields: terms.map((list, t) => {
      const fields = new Uint8Array(n);
      const positions = at[t]!;
      for (let i = 0; i < n; i++) fields[i] = list.fields[positions[i]!]!;
      return fields;
    }),
  };
}

/** The most a term can add to a post's score when it may be in `fields` (scorePost gives the true score). */
export function bestWeight(fields: number): number {
  if (fields & FIELD.title) return WEIGHT.title;
  if (fields & FIELD.tags) return WEIGHT.tags;
  if (fields & FIELD.channel) return WEIGHT.channel;
  return fields & FIELD.text ? WEIGHT.summary : 0;
}
