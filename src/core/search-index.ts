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
import { foldForSearch, isSpacedLetter } from './fold';
import { WEIGHT, type Searchable } from './search';

/** Which fields of a post hold a gram: one bit each. */
export const FIELD = { title: 1, tags: 2, channel: 4, text: 8 } as const;
const FIELD_BITS = 16;

const MAX_PREFIX = 8;

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
  return LETTER.test(text[at]!) ? Kind.Unspaced : Kind.Other;
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

/** Calls `add` with each gram of one field's folded text (a gram may come more than once). */
function eachGram(folded: string, add: (gram: GramKey) => void): void {
  let i = 0;
  while (i < folded.length) {
    const kind = kindOf(folded.charCodeAt(i), folded, i);
    if (kind === Kind.Other) {
      i++;
      continue;
    }
    const start = i;
    let previous = -1;
    while (i < folded.length) {
      const code = folded.charCodeAt(i);
      if (kindOf(code, folded, i) !== kind) break;
      if (kind === Kind.Unspaced) {
        const point = folded.codePointAt(i)!;
        add(point);
        if (previous >= 0) add((previous + 1) * PLANE + point);
        previous = point;
        i += point > 0xffff ? 2 : 1;
      } else i++;
    }
    if (kind === Kind.Spaced) {
      for (let n = 2; n <= Math.min(i - start, MAX_PREFIX); n++) add(folded.slice(start, start + n));
    }
  }
}

type IndexedFields = Pick<Searchable, 'title' | 'channel' | 'author' | 'tags' | 'summary'>;

/** Each field of a post that is searched, folded, with its bit. */
function fieldsOf(post: IndexedFields): [string, number][] {
  return [
    [foldForSearch(post.title), FIELD.title],
    ...post.tags.map((tag): [string, number] => [foldForSearch(tag), FIELD.tags]),
    [foldForSearch(`${post.channel}\n${post.author}`), FIELD.channel],
    [foldForSearch(post.summary), FIELD.text],
  ];
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
 * A posting list being written: ordinals ascending, each with its field
 * bits, as varints of the gap. The current post's bits are gathered first
 * (a gram comes many times in one post), so no per-post set is needed.
 */
class Postings {
  bytes = new Uint8Array(8);
  length = 0;
  last = -1;
  private pending = -1;
  private pendingFields = 0;

  touch(ordinal: number, field: number): void {
    if (ordinal === this.pending) {
      this.pendingFields |= field;
      return;
    }
    this.flush();
    this.pending = ordinal;
    this.pendingFields = field;
  }

  flush(): void {
    if (this.pending < 0) return;
    this.append(this.pending, this.pendingFields);
    this.pending = -1;
  }

  private append(ordinal: number, fields: number): void {
    let value = (ordinal - this.last - 1) * FIELD_BITS + fields;
    this.last = ordinal;
    if (this.length + 8 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    while (value >= 0x80) {
      this.bytes[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.length++] = value;
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

/** Builds the index of one generation of a source, post by post in ordinal order. */
export class IndexBuilder {
  private readonly lists = new Map<GramKey, Postings>();
  private count = 0;

  /** Adds the next post; returns its ordinal. */
  add(post: IndexedFields): number {
    const ordinal = this.count++;
    for (const [text, field] of fieldsOf(post)) {
      eachGram(text, (gram) => {
        let list = this.lists.get(gram);
        if (!list) this.lists.set(gram, (list = new Postings()));
        list.touch(ordinal, field);
      });
    }
    return ordinal;
  }

  get grams(): number {
    return this.lists.size;
  }

  /** How many rows to spread the grams over: about 64 grams a row, so a query reads a few small rows. */
  bucketCount(): number {
    let n = 16;
    while (n < 16384 && n * 64 < this.lists.size) n *= 2;
    return n;
  }

  /** The rows, each holding its grams' lists; the builder is spent afterwards. */
  *buckets(count = this.bucketCount()): Generator<BucketData> {
    const groups: { text: string; list: Postings }[][] = Array.from({ length: count }, () => []);
    for (const [key, list] of this.lists) {
      list.flush();
      const text = gramText(key);
      groups[bucketOf(text, count)]!.push({ text, list });
    }
    this.lists.clear();
    for (let bucket = 0; bucket < count; bucket++) {
      const grams = groups[bucket]!;
      if (grams.length === 0) continue;
      const ends = new Uint32Array(grams.length);
      let size = 0;
      grams.forEach((gram, k) => {
        size += gram.list.length;
        ends[k] = size;
      });
      const data = new Uint8Array(size);
      grams.forEach((gram, k) => data.set(gram.list.bytes.subarray(0, gram.list.length), k === 0 ? 0 : ends[k - 1]!));
      groups[bucket] = [];
      yield { bucket, grams: grams.map((g) => g.text).join('\n'), ends, data };
    }
  }
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
  const keep: number[] = [];
  for (let i = 0; i < list.ordinals.length; i++) if (list.fields[i]! & bit) keep.push(i);
  return { ordinals: Uint32Array.from(keep, (i) => list.ordinals[i]!), fields: Uint8Array.from(keep, (i) => list.fields[i]!) };
}

/**
 * The posts in every term's list, and for each term the fields it may be in,
 * post by post (parallel to `ordinals`): terms are intersected without
 * mixing their fields, since one term may be in the title and another in
 * the text.
 */
export function joinTerms(terms: readonly PostingList[]): { ordinals: Uint32Array; fields: Uint8Array[] } {
  if (terms.length === 0) return { ordinals: new Uint32Array(0), fields: [] };
  const order = terms.map((_, k) => k).sort((a, b) => terms[a]!.ordinals.length - terms[b]!.ordinals.length);
  let ordinals = Uint32Array.from(terms[order[0]!]!.ordinals);
  // For each kept ordinal, its index in every term's list.
  let at: Uint32Array[] = terms.map(() => new Uint32Array(0));
  at[order[0]!] = Uint32Array.from(ordinals, (_, i) => i);
  for (const k of order.slice(1)) {
    const list = terms[k]!;
    const keep: number[] = [];
    const where: number[] = [];
    let j = 0;
    for (let i = 0; i < ordinals.length; i++) {
      while (j < list.ordinals.length && list.ordinals[j]! < ordinals[i]!) j++;
      if (j === list.ordinals.length) break;
      if (list.ordinals[j] === ordinals[i]) {
        keep.push(i);
        where.push(j);
      }
    }
    ordinals = Uint32Array.from(keep, (i) => ordinals[i]!);
    at = at.map((positions, t) => (t === k ? Uint32Array.from(where) : positions.length ? Uint32Array.from(keep, (i) => positions[i]!) : positions));
  }
  return { ordinals, fields: terms.map((list, t) => Uint8Array.from(at[t]!, (i) => list.fields[i]!)) };
}

/** The most a term can add to a post's score when it may be in `fields` (scorePost gives the true score). */
export function bestWeight(fields: number): number {
  if (fields & FIELD.title) return WEIGHT.title;
  if (fields & FIELD.tags) return WEIGHT.tags;
  if (fields & FIELD.channel) return WEIGHT.channel;
  return fields & FIELD.text ? WEIGHT.summary : 0;
}
