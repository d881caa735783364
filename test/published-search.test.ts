// Search over society's published index (core/published-search.ts), as the
// extension runs it from the files `archive-lens publish` writes, checked
// against every post read whole: what a reader finds must be there, and as
// much of it as the local search would find.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePost, type Post } from '../src/core/post';
import { decodeRow, encodeRow, ordinalRange, readDocs, searchPublished, type SegmentFiles, type SegmentMeta } from '../src/core/published-search';
import { segmentsIn } from './support/published';
import { parseQuery, scorePost } from '../src/core/search';
import { mergeTwins } from '../src/core/twins';
import { SOCIETY_TARBALL, listFiles, extractedSociety } from './support/archives';
import { runCli } from './support/cli';

let tmp: string;
let files: SegmentFiles[];
let posts: Post[];
let requests = 0;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'archivelens-published-search-'));
  const { code } = await runCli('publish', SOCIETY_TARBALL, '--out', tmp);
  expect(code).toBe(0);
  files = segmentsIn(tmp, () => requests++);
  const root = extractedSociety();
  // Twins are one post (core/twins.ts), at their preferred path, as the index holds them.
  posts = mergeTwins(listFiles(root).filter((p) => p.endsWith('.md')).flatMap((path) => {
    const parsed = parsePost(readFileSync(join(root, path), 'utf8'), path);
    return parsed.ok ? [parsed.post] : [];
  }));
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every post that answers a query, read whole (paths). */
const everyMatch = (input: string) => new Set(posts.filter((p) => scorePost(p, parseQuery(input)) !== null).map((p) => p.path));

describe('search over a published index', () => {
  it.each(['罗宾', '盧保貴', '中国', '秦', 'covid', 'channel:盧保貴', 'tag:石炳锋'])('finds %s as the posts read whole do, in both Chinese scripts, best first', async (input) => {
    requests = 0;
    const answer = await searchPublished(parseQuery(input), files, 20);
    const truth = everyMatch(input);
    expect(truth.size).toBeGreaterThan(0);
    // Every hit is a match (these queries' grams say it all), and the total is theirs.
    for (const hit of answer.hits) expect(truth.has(hit.doc.path), hit.doc.path).toBe(true);
    expect(answer.total).toBe(truth.size);
    expect(answer.hits).toHaveLength(Math.min(20, truth.size));
    // Title matches before the rest; among equals, newest first.
    const scores = answer.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // A few files, not the archive: the rows of the query's grams and the docs files of 20 results.
    expect(requests).toBeLessThan(30);
  });

  it('answers Traditional with Simplified posts and the reverse', async () => {
    const simplified = await searchPublished(parseQuery('卢保贵'), files, 5);
    const traditional = await searchPublished(parseQuery('盧保貴'), files, 5);
    expect(simplified.total).toBe(traditional.total);
    expect(simplified.hits.map((h) => h.doc.path)).toEqual(traditional.hits.map((h) => h.doc.path));
    expect(simplified.hits[0]!.matches.title.length).toBeGreaterThan(0);
  });

  it('narrows by date through ordinals alone, and counts the month exactly', async () => {
    const answer = await searchPublished(parseQuery('2024-05'), files, 20);
    const from = Date.UTC(2024, 4, 1);
    const to = Date.UTC(2024, 5, 1);
    const truth = posts.filter((p) => p.time >= from && p.time < to);
    expect(answer.total).toBe(truth.length);
    for (const hit of answer.hits) expect(hit.doc.time >= from && hit.doc.time < to).toBe(true);
    // The newest of the month first.
    expect(answer.hits[0]!.doc.time).toBe(Math.max(...truth.map((p) => p.time)));
  });

  it('says when only single Latin letters were typed', async () => {
    expect(await searchPublished(parseQuery('a b'), files, 20)).toMatchObject({ hits: [], tooShort: true });
  });

  it('takes a text match past the opening on the index\'s word, and says the answer is approximate', async () => {
    // A word of three characters: its two bigrams may sit apart in a text; posts read whole decide.
    const answer = await searchPublished(parseQuery('老百姓'), files, 50);
    const truth = everyMatch('老百姓');
    const wrong = answer.hits.filter((h) => !truth.has(h.doc.path));
    if (wrong.length) expect(answer.approximate).toBe(true);
    expect(answer.hits.length - wrong.length).toBeGreaterThan(answer.hits.length * 0.9);
  });
});

describe('the files of a published search index', () => {
  it('reads a row back as written, and refuses one whose parts do not add up', () => {
    const row = { grams: '中国\n罗宾', ends: Uint32Array.from([3, 5]), data: Uint8Array.from([1, 2, 3, 4, 5]) };
    expect(decodeRow(encodeRow(row))).toEqual(row);
    const bytes = encodeRow(row);
    expect(decodeRow(bytes.subarray(0, bytes.length - 1))).toBeNull();
    expect(decodeRow(new Uint8Array(3))).toBeNull();
  });

  it('keeps only text from a hostile docs file', () => {
    const docs = readDocs(JSON.stringify({ docs: [[{ html: '<img>' }, 5, 'x', ['a'], null, 42, 'not-an-id', 7, null, 'q']] }))!;
    expect(docs[0]).toMatchObject({ title: '', date: '', time: 0, channel: '', tags: [], videoId: null, path: '', head: '' });
    expect(readDocs('{"docs": 3}')).toBeNull();
  });

  it('turns a date range into the ordinals of the files that may hold it', () => {
    const meta: SegmentMeta = { id: 'abcdef0123456789', buckets: 1, own: [], posts: 500, docsPerFile: 128, times: [0, 100, 200, 300], gone: [] };
    expect(ordinalRange(meta, null, null)).toEqual([0, 500]);
    expect(ordinalRange(meta, 150, 250)).toEqual([128, 384]);
    expect(ordinalRange(meta, 1000, null)).toEqual([384, 500]);
    expect(ordinalRange(meta, null, 0)).toEqual([0, 0]);
  });
});
