// Search over a published index (core/published.ts), as static files a query
// fetches a few of: the project's own gram index (core/search-index.ts),
// written as rows, and the posts' titles, dates and openings in small files
// by ordinal. Ordinals are given oldest first (then by path), so "newest"
// is "highest", a date range is a range of ordinals (no table of times is
// fetched), and a day's new posts go at the end.
//
//   search/meta.json.gz               SearchMeta: its segments
//   search/facets.json.gz             the library's counts
//   search/<segment>/rows/<row>.bin.gz    one row of the segment's gram index (encodeRow)
//   search/<segment>/docs/<n>.json.gz     docsJson: its posts n × docsPerFile onwards
//   search/<segment>/posts.json.gz        each ordinal's path and hash, for the next publish
//
// Why not Pagefind: its client and WASM would ship inside the extension
// (Manifest V3 runs no remote code) and must match the index's version; its
// words come from a segmenter, so a query cut from the middle of a Chinese
// word misses, and it does not fold Traditional and Simplified together.
// The local index's bigrams do all of that, and the extension already has
// their code; see the note of issue 20 for the measurements.
import { highlightRanges, excerpt } from './highlight';
import { bestWeight, FIELD, inField, intersect, joinTerms, postingsIn, rowOf, termGrams, type BucketData, type PostingList } from './search-index';
import { hasCriteria, scorePost, type SearchQuery } from './search';
import type { Facets } from './facets';
import { asVideoId } from './youtube';
import { safeEnd } from './clip';
import { MAX_POST_CHARS, type Post } from './post';

/** Counts posts by channel (or author), month (UTC) and tag, as a local index does (db/search-index.ts). */
export class FacetCounter {
  private channels = new Map<string, number>();
  private months = new Map<string, number>();
  private tags = new Map<string, number>();

  add(post: Pick<Post, 'channel' | 'author' | 'time' | 'tags'>): void {
    const bump = (map: Map<string, number>, key: string) => key && map.set(key, (map.get(key) ?? 0) + 1);
    bump(this.channels, post.channel || post.author);
    if (Number.isFinite(post.time)) bump(this.months, new Date(post.time).toISOString().slice(0, 7));
    for (const tag of new Set(post.tags)) bump(this.tags, tag);
  }

  facets(): Facets {
    const byCount = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return { channels: byCount(this.channels), months: [...this.months].sort((a, b) => (a[0] < b[0] ? 1 : -1)), tags: byCount(this.tags) };
  }
}

/** A facets file as a host sent it: pairs of a name and a count, nothing else. */
export function readFacets(text: string): Facets | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const pairs = (x: unknown): [string, number][] => (Array.isArray(x) ? x : []).flatMap((p) =>
    Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number' && Number.isInteger(p[1]) && p[1] > 0 ? [[p[0].slice(0, 2000), p[1]] as [string, number]] : []);
  if (typeof v !== 'object' || v === null) return null;
  const f = v as Record<string, unknown>;
  return { channels: pairs(f.channels), months: pairs(f.months), tags: pairs(f.tags) };
}

/** search/meta.json.gz: the segments of the index, the oldest (the base) first. */
export interface SearchMeta {
  /** Posts the segments hold (those in `gone` not counted). */
  posts: number;
  segments: SegmentMeta[];
}

/**
 * One segment: an index of its own over its own ordinals. A publish keeps
 * the base segment and writes the posts added or changed since into a small
 * newer one, so a day's deploy rewrites that one, not every row of the
 * base; past a tenth of the base, all is written again as one.
 */
export interface SegmentMeta {
  /** Names its folder: a hash of the posts it holds, so the same posts give the same files. */
  id: string;
  /** Rows 0 to buckets - 1 hold grams by bucketOf; row buckets + k holds own[k]. */
  buckets: number;
  own: string[];
  /** Ordinals it has (those in `gone` included). */
  posts: number;
  docsPerFile: number;
  /** The time (epoch ms) of the first (oldest) post of each docs file. */
  times: number[];
  /** Ordinals whose posts were removed or changed since it was written (changed ones are in a newer segment). */
  gone: number[];
}

/** A post as search results show it, without its text: the text's opening only. */
export interface PublishedDoc {
  title: string;
  date: string;
  time: number;
  channel: string;
  author: string;
  tags: string[];
  videoId: string | null;
  path: string;
  /** The description's first HEAD_CHARS characters: the excerpt when the match is there. */
  head: string;
  /** What the post's address on the site is made of, besides its path and date (core/site.ts). */
  categories?: string[];
  permalink?: string;
  slug?: string;
  unpublished?: true;
  /** The whole description's length, when `head` is only its start. */
  length?: number;
}

export const HEAD_CHARS = 160;
export const DOCS_PER_FILE = 128;

export const META_FILE = 'search/meta.json.gz';
/** The library's counts of posts by channel, month and tag (db/records.ts Facets). */
export const FACETS_FILE = 'search/facets.json.gz';
export const rowFile = (segment: string, row: number) => `search/${segment}/rows/${row}.bin.gz`;
export const docsFile = (segment: string, n: number) => `search/${segment}/docs/${n}.json.gz`;
/** What the publisher reads back at the next publish: each ordinal's path and content hash (docsJson has no hash). */
export const postsFile = (segment: string) => `search/${segment}/posts.json.gz`;

/** A row as bytes: the byte length of its grams, their count, the grams (UTF-8, joined by `\n`), their ends, their lists. */
export function encodeRow(row: Pick<BucketData, 'grams' | 'ends' | 'data'>): Uint8Array {
  const grams = new TextEncoder().encode(row.grams);
  const out = new Uint8Array(8 + grams.length + row.ends.length * 4 + row.data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, grams.length, true);
  view.setUint32(4, row.ends.length, true);
  out.set(grams, 8);
  let at = 8 + grams.length;
  for (const end of row.ends) {
    view.setUint32(at, end, true);
    at += 4;
  }
  out.set(row.data, at);
  return out;
}

/** A row as a host sent it; null when its parts do not add up. */
export function decodeRow(bytes: Uint8Array): Pick<BucketData, 'grams' | 'ends' | 'data'> | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const gramBytes = view.getUint32(0, true);
  const count = view.getUint32(4, true);
  const dataAt = 8 + gramBytes + count * 4;
  if (dataAt > bytes.length) return null;
  const grams = new TextDecoder().decode(bytes.subarray(8, 8 + gramBytes));
  if (count === 0 || grams.split('\n').length !== count) return null;
  const ends = new Uint32Array(count);
  let last = 0;
  for (let k = 0; k < count; k++) {
    ends[k] = view.getUint32(8 + gramBytes + k * 4, true);
    if (ends[k]! < last) return null;
    last = ends[k]!;
  }
  const data = bytes.slice(dataAt);
  return last === data.length ? { grams, ends, data } : null;
}

/** docs/<n>.json as written: one array per post, in ordinal order. */
export function docsJson(docs: readonly PublishedDoc[]): string {
  return `{"docs":[${docs.map((d) => JSON.stringify(docArray(d))).join(',\n')}]}\n`;
}

/** A post as a docs file (and a shard's mentions) keep it: an array, its fields in a fixed order. */
export function docArray(d: PublishedDoc): unknown[] {
  const site = {
    ...(d.categories?.length ? { c: d.categories } : {}), ...(d.permalink ? { p: d.permalink } : {}), ...(d.slug ? { s: d.slug } : {}),
    ...(d.unpublished ? { u: 1 } : {}), ...(d.length ? { n: d.length } : {}),
  };
  return [d.title, d.date, d.time, d.channel, d.author, d.tags, d.videoId, d.path, d.head, ...(Object.keys(site).length ? [site] : [])];
}

/** The post a parsed post is in a docs file. */
export function docOf(post: Post, path: string): PublishedDoc {
  return {
    title: post.title.trim(), date: post.date, time: post.time, channel: post.channel, author: post.author, tags: post.tags,
    videoId: post.videoId, path, head: post.summary.slice(0, safeEnd(post.summary, HEAD_CHARS)),
    ...(post.categories ? { categories: post.categories } : {}), ...(post.permalink ? { permalink: post.permalink } : {}),
    ...(post.slug ? { slug: post.slug } : {}), ...(post.unpublished ? { unpublished: true as const } : {}),
    ...(post.summary.length > HEAD_CHARS ? { length: post.summary.length } : {}),
  };
}

const MAX_FIELD = 2000;
const str = (v: unknown, max = MAX_FIELD) => (typeof v === 'string' ? v.slice(0, max) : '');

/** A docs file as a host sent it: every field checked, so a hostile host can only send text. */
export function readDocs(text: string): PublishedDoc[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const docs = typeof value === 'object' && value !== null && Array.isArray((value as { docs?: unknown }).docs) ? (value as { docs: unknown[] }).docs : null;
  if (!docs) return null;
  return docs.map(readDoc);
}

const list = (v: unknown) => (Array.isArray(v) ? v.slice(0, 100).map((t) => str(t)) : []);

/** One post of a docs file (or a shard's mentions) as a host sent it: text only, whatever it held. */
export function readDoc(d: unknown): PublishedDoc {
  const a = Array.isArray(d) ? d : [];
  const site = (typeof a[9] === 'object' && a[9] !== null ? a[9] : {}) as Record<string, unknown>;
  return {
    title: str(a[0]), date: str(a[1], 40), time: typeof a[2] === 'number' && Number.isFinite(a[2]) ? a[2] : 0,
    channel: str(a[3]), author: str(a[4]), tags: list(a[5]), videoId: asVideoId(a[6]), path: str(a[7]), head: str(a[8], HEAD_CHARS * 2),
    ...(Array.isArray(site.c) ? { categories: list(site.c) } : {}), ...(site.p ? { permalink: str(site.p) } : {}),
    ...(site.s ? { slug: str(site.s) } : {}), ...(site.u ? { unpublished: true as const } : {}),
    ...(typeof site.n === 'number' && Number.isInteger(site.n) && site.n > 0 && site.n <= MAX_POST_CHARS ? { length: site.n } : {}),
  };
}

/** meta.json as a host sent it; null when it is not one. */
export function readMeta(text: string): SearchMeta | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const posts = int(v?.posts, 1e8);
  if (posts === null || !Array.isArray(v.segments) || v.segments.length > 64) return null;
  const segments = v.segments.map(readSegment);
  return segments.every((x): x is SegmentMeta => x !== null) ? { posts, segments } : null;
}

const int = (x: unknown, max: number) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max ? x : null);

function readSegment(value: unknown): SegmentMeta | null {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const buckets = int(v.buckets, 1 << 20);
  const posts = int(v.posts, 1e8);
  const docsPerFile = int(v.docsPerFile, 1 << 16);
  if (typeof v.id !== 'string' || !/^[0-9a-f]{8,64}$/.test(v.id) || !buckets || posts === null || !docsPerFile) return null;
  if (!Array.isArray(v.own) || !Array.isArray(v.times) || !Array.isArray(v.gone)) return null;
  if (!v.own.every((g) => typeof g === 'string') || !v.times.every((t) => typeof t === 'number') || !v.gone.every((o) => int(o, posts) !== null)) return null;
  if (v.times.length !== Math.ceil(posts / docsPerFile)) return null;
  return { id: v.id, buckets, own: v.own as string[], posts, docsPerFile, times: v.times as number[], gone: v.gone as number[] };
}

export interface PublishedHit {
  doc: PublishedDoc;
  segment: string;
  ordinal: number;
  score: number;
  /** Where the query matched: the title's ranges, and the excerpt (from the opening only). */
  matches: { title: [number, number][]; excerpt: { text: string; ranges: [number, number][] } };
}

export interface PublishedAnswer {
  hits: PublishedHit[];
  total: number;
  /** Some hits (and the total) may match only in text past the opening, which the index cannot check. */
  approximate: boolean;
  tooShort?: boolean;
}

/** A segment's files, as the reader gets them (from memory, a cache or the host). */
export interface SegmentFiles {
  meta: SegmentMeta;
  row(row: number): Promise<Pick<BucketData, 'grams' | 'ends' | 'data'> | null>;
  docs(file: number): Promise<PublishedDoc[]>;
}

/** Posting lists decoded from rows, by the row object (its reader keeps the rows it uses in memory, and drops them). */
const decodedLists = new WeakMap<object, Map<string, PostingList>>();

/**
 * A query's best `limit` posts in a published index: candidates from the
 * grams' rows, ranked by the best score their fields allow and then newest
 * first, checked against their title, tags, channel and opening; a term
 * the index places in the text past the opening is taken on the index's
 * word (the answer says it is approximate).
 */
export async function searchPublished(query: SearchQuery, segments: readonly SegmentFiles[], limit: number): Promise<PublishedAnswer> {
  const answers = await Promise.all(segments.map((files) => searchSegment(query, files, limit)));
  const hits = answers.flatMap((a) => a.hits).sort((a, b) => b.score - a.score || b.doc.time - a.doc.time).slice(0, limit);
  return {
    hits, total: answers.reduce((n, a) => n + a.total, 0), approximate: answers.some((a) => a.approximate),
    ...(answers.length && answers.every((a) => a.tooShort) ? { tooShort: true } : {}),
  };
}

async function searchSegment(query: SearchQuery, files: SegmentFiles, limit: number): Promise<PublishedAnswer> {
  const { meta } = files;
  const gone = meta.gone.length ? new Set(meta.gone) : null;
  const own = new Map(meta.own.map((g, k) => [g, k]));
  const terms = query.terms.map((t) => termGrams(t));
  const filters = [...query.channels.map((c) => ({ ...termGrams(c), field: FIELD.channel })), ...query.tags.map((t) => ({ ...termGrams(t), field: FIELD.tags }))];
  const narrowing = [...terms, ...filters].some((n) => n.grams.length > 0);
  const dated = query.from !== null || query.to !== null;
  if (!hasCriteria(query) || query.removed) return { hits: [], total: 0, approximate: false };
  if (!narrowing && !dated) return { hits: [], total: 0, approximate: false, tooShort: true };

  const grams = [...new Set([...terms, ...filters].flatMap((n) => n.grams))];
  const rows = new Map<number, Pick<BucketData, 'grams' | 'ends' | 'data'> | null>();
  await Promise.all([...new Set(grams.map((g) => rowOf(g, meta.buckets, own)))].map(async (row) => rows.set(row, await files.row(row))));
  const list = (gram: string): PostingList => {
    const row = rows.get(rowOf(gram, meta.buckets, own));
    if (!row) return { ordinals: new Uint32Array(0), fields: new Uint8Array(0) };
    // Decoded once per row kept in memory: 的 is 400,000 postings at ×32, decoded again at every keystroke otherwise.
    let decoded = decodedLists.get(row);
    if (!decoded) decodedLists.set(row, (decoded = new Map()));
    let found = decoded.get(gram);
    if (!found) decoded.set(gram, (found = postingsIn(row, gram)));
    return found;
  };
  const [first, last] = await exactRange(files, query.from, query.to);
  const lists = [
    ...terms.filter((n) => n.grams.length).map((n) => intersect(n.grams.map(list))),
    ...filters.filter((n) => n.grams.length).map((n) => inField(intersect(n.grams.map(list)), n.field)),
  ];
  const scored = terms.filter((n) => n.grams.length).length;
  const unknown = terms.length - scored;
  // Candidates: ordinal and the best score its grams' fields allow.
  let ordinals: Uint32Array;
  let estimates: Float64Array;
  if (lists.length) {
    // One loop over typed arrays: a common character names 300,000 posts at ×32.
    const joined = joinTerms(lists);
    const n = joined.ordinals.length;
    ordinals = new Uint32Array(n);
    estimates = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const ordinal = joined.ordinals[i]!;
      if (ordinal < first || ordinal >= last || gone?.has(ordinal)) continue;
      let estimate = unknown;
      for (let t = 0; t < scored; t++) estimate += bestWeight(joined.fields[t]![i]!);
      ordinals[k] = ordinal;
      estimates[k] = estimate || 1;
      k++;
    }
    ordinals = ordinals.subarray(0, k);
    estimates = estimates.subarray(0, k);
  } else {
    ordinals = Uint32Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i).filter((o) => !gone?.has(o));
    estimates = new Float64Array(ordinals.length).fill(1);
  }
  const order = ranked(ordinals, estimates);

  const hits: PublishedHit[] = [];
  const exact = [...terms, ...filters].every((n) => n.exact);
  let beyondOpening = false;
  let dropped = 0;
  let checked = 0;
  // A page at a time: most candidates hold; the few that do not make room for the next.
  for (let done = false; !done && hits.length < limit; ) {
    const page: number[] = [];
    while (page.length < Math.max(limit - hits.length, 8)) {
      const next = order.next();
      if (next.done) {
        done = true;
        break;
      }
      page.push(next.value);
    }
    checked += page.length;
    const byFile = new Map<number, PublishedDoc[]>();
    await Promise.all([...new Set(page.map((i) => Math.floor(ordinals[i]! / meta.docsPerFile)))].map(async (n) => byFile.set(n, await files.docs(n))));
    for (const i of page) {
      const ordinal = ordinals[i]!;
      const doc = byFile.get(Math.floor(ordinal / meta.docsPerFile))?.[ordinal % meta.docsPerFile];
      if (!doc || (query.from !== null && doc.time < query.from) || (query.to !== null && doc.time >= query.to)) {
        dropped++;
        continue;
      }
      const score = scorePost({ ...doc, summary: doc.head }, query);
      // Not in the title, tags, channel or opening: past the opening, as the index says (filters are whole fields: checked).
      const beyond = score === null && filters.length === 0 && doc.head.length >= HEAD_CHARS;
      if (score === null && !beyond) {
        dropped++;
        continue;
      }
      if (beyond) beyondOpening = true;
      hits.push({
        doc, segment: meta.id, ordinal, score: score ?? estimates[i]!,
        matches: { title: highlightRanges(doc.title, query.terms), excerpt: excerpt(doc.head, query.terms) },
      });
    }
  }
  hits.sort((a, b) => b.score - a.score || b.ordinal - a.ordinal);
  // Unchecked candidates are counted: exactly, when the grams say it all.
  return { hits, total: Math.max(hits.length, ordinals.length - dropped), approximate: beyondOpening || (!exact && checked < ordinals.length) };
}

/**
 * Candidates best first, then newest, without sorting them all: estimates
 * take a few values (sums of field weights), and within one the highest
 * ordinal is the newest, so each value's candidates are walked from the end.
 */
function* ranked(ordinals: Uint32Array, estimates: Float64Array): Generator<number> {
  const values: number[] = [];
  for (const e of estimates) if (!values.includes(e)) values.push(e);
  values.sort((a, b) => b - a);
  for (const value of values) for (let i = ordinals.length - 1; i >= 0; i--) if (estimates[i] === value) yield i;
}

/** The ordinals [first, last) of the posts in [from, to): the range of files, trimmed by the two at its ends (which a page of results reads anyway). */
async function exactRange(files: SegmentFiles, from: number | null, to: number | null): Promise<[number, number]> {
  let [first, last] = ordinalRange(files.meta, from, to);
  const per = files.meta.docsPerFile;
  if (from !== null && first < last) {
    const k = Math.floor(first / per);
    const docs = await files.docs(k);
    const end = Math.min(last, (k + 1) * per);
    while (first < end && (docs[first - k * per]?.time ?? from) < from) first++;
  }
  if (to !== null && first < last) {
    const k = Math.floor((last - 1) / per);
    const docs = await files.docs(k);
    const start = Math.max(first, k * per);
    while (last > start && (docs[last - 1 - k * per]?.time ?? 0) >= to) last--;
  }
  return [first, last];
}

/** The ordinals [first, last) whose posts may fall in [from, to): ordinals run oldest first, files' first times ascend. */
export function ordinalRange(meta: SegmentMeta, from: number | null, to: number | null): [number, number] {
  let first = 0;
  let last = meta.posts;
  if (from !== null) {
    // Files before the last one that starts before `from` end before it too.
    let k = 0;
    while (k + 1 < meta.times.length && meta.times[k + 1]! < from) k++;
    first = k * meta.docsPerFile;
  }
  if (to !== null) {
    // The first file that starts at or after `to` holds none in range, nor any after it.
    const k = meta.times.findIndex((t) => t >= to);
    if (k >= 0) last = Math.min(last, k * meta.docsPerFile);
  }
  return [first, Math.max(first, last)];
}
