// The index against the plain scan it replaces, on the whole society archive:
// for pieces of real titles and texts (in both Chinese scripts, Latin words
// cut short as they are typed), the index's candidates hold every post the
// scan finds, and exactly those when it says it is exact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { foldForSearch } from './fold';
import { parsePost, type Post } from './post';
import { parseQuery, scorePost } from './search';
import { bestWeight, FIELD, IndexBuilder, inField, intersect, joinTerms, postingsIn, termGrams, bucketOf, type BucketData, type PostingList, EMPTY_LIST } from './search-index';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

let posts: Post[];
let rows: Map<number, BucketData>;
let buckets: number;

function listFor(gram: string): PostingList {
  const row = rows.get(bucketOf(gram, buckets));
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
  const builder = new IndexBuilder();
  for (const post of posts) builder.add(post);
  buckets = builder.bucketCount();
  rows = new Map([...builder.buckets(buckets)].map((r) => [r.bucket, r]));
});

describe('the search index on the society archive', () => {
  it('finds every post the scan finds, for pieces of real titles and texts in either script', () => {
    const next = random(7);
    let checked = 0;
    let exactQueries = 0;
    let unfoldable = 0;
    for (let n = 0; n < 300; n++) {
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
      const scan = new Set(posts.flatMap((p, i) => (scorePost(p, query) !== null ? [i] : [])));
      const index = candidates(piece);
      // Latin pieces are word starts; the scan also finds them inside words, which the index does not promise.
      const expected = isLatin ? [...scan].filter((i) => wordStart(posts[i]!, query.terms[0]!)) : [...scan];
      expect(expected.length, piece).toBeGreaterThan(0);
      for (const i of expected) expect(index.ordinals.has(i), `${piece} in ${posts[i]!.title}`).toBe(true);
      for (const i of expected) expect(index.estimates.get(i)!, piece).toBeGreaterThanOrEqual(scorePost(posts[i]!, query)!);
      if (index.exact && !isLatin) {
        expect(index.ordinals.size, piece).toBe(scan.size);
        exactQueries++;
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(250);
    expect(unfoldable).toBeLessThan(15);
    expect(exactQueries).toBeGreaterThan(50);
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

function wordStart(post: Post, term: string): boolean {
  const text = [post.title, post.summary, post.channel, post.author, ...post.tags].map(foldForSearch).join('\n');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'u').test(text);
}
