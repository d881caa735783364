// The index against the plain scan it replaces, on the whole society archive:
// for pieces of real titles and texts (in both Chinese scripts, Latin words
// cut short as they are typed), the index's candidates hold every post the
// scan finds, and exactly those when it says it is exact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { foldForSearch, hasTerm } from './fold';
import { parsePost, type Post } from './post';
import { parseQuery, scorePost, WEIGHT } from './search';
import { bestWeight, bucketOf, bucketOfKey, FIELD, IndexBuilder, inField, intersect, joinTerms, postingsIn, termGrams, rowOf, type BucketData, type PostingList, EMPTY_LIST } from './search-index';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

let posts: Post[];
/** Each post's fields in the form search compares, as scorePost folds them. */
let folded: { title: string; tags: string; channel: string; summary: string }[];

function scoreFolded(f: (typeof folded)[number], term: string): number | null {
  if (hasTerm(f.title, term)) return WEIGHT.title;
  if (hasTerm(f.tags, term)) return WEIGHT.tags;
  if (hasTerm(f.channel, term)) return WEIGHT.channel;
  return hasTerm(f.summary, term) ? WEIGHT.summary : null;
}
let rows: Map<number, BucketData>;
let buckets: number;
let own: Map<string, number>;

function listFor(gram: string): PostingList {
  const row = rows.get(rowOf(gram, buckets, own));
  return row ? postingsIn(row, gram) : EMPTY_LIST;
}

/** The index's candidates for a query of plain terms, as post ordinals. */
function candidates(input: string): { ordinals: Set<number>; exact: boolean; estimates: Map<number, number> } {
  const query = parseQuery(input);
  const needs = query.terms.map(termGrams);
  const joined = joinTerms(needs.map((n) => intersect(n.grams.map(listFor))));
  const estimates = new Map<number, number>();
  joined.ordinals.forEach((o, i) => estimates.set(o, needs.reduce((sum, _, t) => sum + bestWeight(joined.fields[t]![i]!), 0)));
  return { ordinals: new Set(joined.ordinals), exact: needs.every((n) => n.exact), estimates };
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0;
    return ((seed >>> 0) % 1_000_000) / 1_000_000;
  };
}

beforeAll(() => {
  const root = extractedSociety();
  posts = [];
  for (const path of listFiles(root).filter((f) => f.endsWith('.md'))) {
    const result = parsePost(readFileSync(join(root, path), 'utf8'), path);
    if (result.ok) posts.push(result.post);
  }
  folded = posts.map((p) => ({
    title: foldForSearch(p.title).replace(/\s+/g, ' '),
    tags: p.tags.map(foldForSearch).join('\n'),
    channel: foldForSearch(`${p.channel}\n${p.author}`),
    summary: foldForSearch(p.summary).replace(/\s+/g, ' '),
  }));
  // The shortcut above must decide as scorePost does.
  for (const [i, p] of posts.slice(0, 200).entries()) expect(scoreFolded(folded[i]!, '的')).toBe(scorePost(p, parseQuery('的')));
  const builder = new IndexBuilder();
  for (const post of posts) builder.add(post);
  buckets = builder.bucketCount();
  const all = [...builder.buckets(buckets)];
  own = new Map(all.filter((r) => r.bucket >= buckets).map((r, k) => [r.grams, k]));
  rows = new Map(all.map((r) => [r.bucket, r]));
});

describe('the search index on the society archive', () => {
  it('gives each long list a row of its own, so a rare gram\'s row stays small', () => {
    expect(own.size).toBeGreaterThan(0);
    for (const [gram, k] of own) {
      const row = rows.get(buckets + k)!;
      expect(row.grams).toBe(gram);
      expect(row.data.length).toBeGreaterThanOrEqual(8 << 10);
    }
    // Every other list is shorter, in the row its hash names.
    for (const [bucket, row] of rows) {
      if (bucket >= buckets) continue;
      const grams = row.grams.split('\n');
      grams.forEach((gram, k) => {
        expect(rowOf(gram, buckets, own)).toBe(bucket);
        expect(row.ends[k]! - (k === 0 ? 0 : row.ends[k - 1]!)).toBeLessThan(8 << 10);
      });
    }
    // 的 is in most of society's posts: its own row, read alone.
    expect(own.has('的')).toBe(true);
    expect(postingsIn(rows.get(rowOf('的', buckets, own))!, '的').ordinals.length).toBeGreaterThan(10_000);
  });

  it('finds every post the scan finds, for pieces of real titles and texts in either script', () => {
    const next = random(7);
    let checked = 0;
    let exactQueries = 0;
    let unfoldable = 0;
    for (let n = 0; n < 200; n++) {
      const post = posts[Math.floor(next() * posts.length)]!;
      const source = next() < 0.5 ? post.title : post.summary;
      const runs = source.match(/[\u3400-\u9fff]+|[A-Za-z0-9]{2,}/g);
      if (!runs) continue;
      const run = runs[Math.floor(next() * runs.length)]!;
      const isLatin = /^[A-Za-z0-9]/.test(run);
      // Latin: the start of a word, as it is being typed; Chinese: 1 to 4 characters from anywhere.
      const length = isLatin ? Math.min(run.length, 2 + Math.floor(next() * 8)) : Math.min(run.length, 1 + Math.floor(next() * 4));
      const at = isLatin ? 0 : Math.floor(next() * (run.length - length + 1));
      let piece = run.slice(at, at + length);
      if (!isLatin && next() < 0.5) {
        // OpenCC's phrase tables sometimes pick a character the character table keeps apart
        // (着→著, itself Simplified): no search by characters can meet those, so they are counted, not tried.
        const other = toTraditional(piece);
        if (foldForSearch(other) !== foldForSearch(piece)) {
          unfoldable++;
          continue;
        }
        piece = other;
      }
      const query = parseQuery(piece);
      const term = query.terms[0]!;
      // What scorePost decides, on texts folded once for all queries (folding 15,000 posts per query was most of this test's time).
      const scores = folded.map((f) => scoreFolded(f, term));
      const scan = new Set(scores.flatMap((score, i) => (score !== null ? [i] : [])));
      const index = candidates(piece);
      // Latin pieces are word starts; the scan also finds them inside words, which the index does not promise.
      const expected = isLatin ? [...scan].filter((i) => wordStart(folded[i]!, term)) : [...scan];
      expect(expected.length, piece).toBeGreaterThan(0);
      for (const i of expected) expect(index.ordinals.has(i), `${piece} in ${posts[i]!.title}`).toBe(true);
      for (const i of expected) expect(index.estimates.get(i)!, piece).toBeGreaterThanOrEqual(scores[i]!);
      if (index.exact && !isLatin) {
        expect(index.ordinals.size, piece).toBe(scan.size);
        exactQueries++;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(170);
    expect(unfoldable).toBeLessThan(10);
    expect(exactQueries).toBeGreaterThan(30);
  });

  it('meets words typed in the other script and in full width', () => {
    const folded = candidates('ＣＯＶＩＤ');
    const covid = posts.flatMap((p, i) => (foldForSearch(`${p.title} ${p.summary} ${p.tags.join(' ')}`).includes('covid') ? [i] : []));
    expect(covid.length).toBeGreaterThan(0);
    for (const i of covid) expect(folded.ordinals.has(i)).toBe(true);
  });

  it('keeps a channel filter to the channel field', () => {
    const channel = posts[0]!.channel;
    const need = termGrams(foldForSearch(channel));
    const inChannel = inField(intersect(need.grams.map(listFor)), FIELD.channel);
    const expected = posts.flatMap((p, i) => (foldForSearch(`${p.channel}\n${p.author}`).includes(foldForSearch(channel)) ? [i] : []));
    for (const i of expected) expect(inChannel.ordinals).toContain(i);
  });

  it('is small: about two bytes a post per gram', () => {
    let bytes = 0;
    for (const row of rows.values()) bytes += row.data.length + row.grams.length * 2 + row.ends.byteLength;
    // 15,271 posts: a few megabytes, not the hundreds a copy of the text per gram would take.
    expect(bytes / posts.length).toBeLessThan(1024);
  });
});

function wordStart(f: (typeof folded)[number], term: string): boolean {
  const text = [f.title, f.summary, f.channel, f.tags].join('\n');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(text);
}

describe("a gram's row from its number", () => {
  it('is the row its text hashes to: characters and pairs of either plane', () => {
    const PLANE = 0x110000;
    const points = [0x41, 0x4e2d, 0x6587, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x20000, 0x2a6d6, 0x10ffff];
    for (const buckets of [16, 512, 16384]) {
      for (const p of points) expect(bucketOfKey(p, buckets)).toBe(bucketOf(String.fromCodePoint(p), buckets));
      for (const a of points) for (const b of points) expect(bucketOfKey((a + 1) * PLANE + b, buckets)).toBe(bucketOf(String.fromCodePoint(a) + String.fromCodePoint(b), buckets));
    }
  });
});
