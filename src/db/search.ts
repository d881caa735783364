// Answering a search from the index (db/search-index.ts): the grams of the
// query narrow each source's posts to candidates without reading a post;
// candidates are ranked by the best score their grams allow, and only as many
// as the page shows are read and checked with scorePost (never a false hit).
import { eachPost, getPosts, postsOfVideos } from './post-store';
import { foldBoilerplate, type Boilerplate } from '../core/boilerplate';
import { removedOf } from './removed';
import { excerpt, highlightRanges } from '../core/highlight';
import { byRelevance, hasCriteria, parseQuery, scorePost, WEIGHT, type SearchQuery } from '../core/search';
import { doubled } from '../core/typed-arrays';
import { bestWeight, FIELD, inField, intersect, joinTerms, postingsAcross, termGrams } from '../core/search-index';
import { newestFirst } from '../core/twins';
import type { PostView, SearchHit } from '../shared/messages';
import { toView, versionOf, visible } from './queries';
import { sourcesById } from './sources-cache';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import { docsKey, hasIndex, loadBuckets, loadDocs, warmSearch } from './search-index';

export interface SearchAnswer<P = PostView> {
  posts: P[];
  total: number;
  /** The total counts posts the index could not tell apart from matches without reading them. */
  approximate?: boolean;
  /** Nothing to search by yet: only single Latin letters were typed. */
  tooShort?: boolean;
}

/** What a post must hold: a term's grams, or a filter's grams in one field. */
interface Need {
  grams: string[];
  exact: boolean;
  /** For `channel:` and `tag:`: the field the grams must be in. */
  field: number | null;
}

interface Columns {
  from: Uint16Array;
  ordinal: Uint32Array;
  est: Float64Array;
  times: Float64Array;
  taken: Uint8Array;
  inText: Uint8Array;
}

/**
 * Posts the index names, as parallel arrays (a query for one common
 * character names 100,000 of them): which key, the best score the post can
 * have (scorePost's is the same or lower), and its time.
 */
class Candidates {
  /** Where each candidate's key comes from: an index's ids and ordinal, or a key as is. */
  private readonly sources: { prefix: string; ids: readonly string[] }[] = [];
  private from: Uint16Array;
  private ordinal: Uint32Array;
  private readonly loose = new Map<number, string>();
  private est: Float64Array;
  private times: Float64Array;
  private taken: Uint8Array;
  /** 1 when the index cannot rule out a term in the post's text (its excerpt must be looked for). */
  private inText: Uint8Array;
  length = 0;
  /** Whether the index alone proves each candidate matches (the same for all: it depends on the query). */
  exact = true;

  /** The arrays of the last search, when it let them go (see release). */
  private static spare: Columns | null = null;

  constructor() {
    const columns = Candidates.spare ?? { from: new Uint16Array(1024), ordinal: new Uint32Array(1024), est: new Float64Array(1024), times: new Float64Array(1024), taken: new Uint8Array(1024), inText: new Uint8Array(1024) };
    Candidates.spare = null;
    ({ from: this.from, ordinal: this.ordinal, est: this.est, times: this.times, taken: this.taken, inText: this.inText } = columns);
  }

  /**
   * Gives the arrays to the next search, once nothing reads this one: a
   * common character names 100,000 posts, 2.4 MB of arrays made, filled
   * and collected again on every keystroke otherwise.
   */
  release(): void {
    this.taken.fill(0, 0, this.length);
    const { from, ordinal, est, times, taken, inText } = this;
    if (!Candidates.spare || Candidates.spare.est.length < est.length) Candidates.spare = { from, ordinal, est, times, taken, inText };
    this.length = 0;
  }

  /** Registers an index's ids; its candidates are pushed by ordinal. */
  source(prefix: string, ids: readonly string[]): number {
    return this.sources.push({ prefix, ids }) - 1;
  }

  key(i: number): string {
    const loose = this.loose.get(i);
    if (loose !== undefined) return loose;
    const source = this.sources[this.from[i]!]!;
    return source.prefix + source.ids[this.ordinal[i]!]!;
  }

  /** A candidate by its key (a post changed since its index was built, or from the time index). */
  pushKey(key: string, estimate: number, time: number): void {
    this.loose.set(this.length, key);
    this.push(0, 0, estimate, time, true);
  }

  /** Room for `more` candidates, made once (a common character names 100,000 posts). */
  reserve(more: number): void {
    if (this.length + more > this.est.length) this.grow(this.length + more);
  }

  private grow(atLeast = 0): void {
    this.est = doubled(this.est, atLeast);
    this.times = doubled(this.times, atLeast);
    this.taken = doubled(this.taken, atLeast);
    this.inText = doubled(this.inText, atLeast);
    this.from = doubled(this.from, atLeast);
    this.ordinal = doubled(this.ordinal, atLeast);
  }

  push(source: number, ordinal: number, estimate: number, time: number, inText: boolean): void {
    if (this.length === this.est.length) this.grow();
    this.from[this.length] = source;
    this.ordinal[this.length] = ordinal;
    this.est[this.length] = estimate;
    this.times[this.length] = time;
    this.inText[this.length] = inText ? 1 : 0;
    this.length++;
  }

  mayBeInText(i: number): boolean {
    return this.inText[i] === 1;
  }

  estimate(i: number): number {
    return this.est[i]!;
  }

  time(i: number): number {
    return this.times[i]!;
  }

  /** All of them, best first (the library's list). */
  order(): Uint32Array {
    const order = new Uint32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order.sort((a, b) => this.est[b]! - this.est[a]! || this.times[b]! - this.times[a]! || a - b);
  }

  /**
   * The best `n` not yet taken, best first, and the best after them, left
   * untaken: whether it could still beat the page decides if another page
   * is read (usually not). One pass with a small heap, not a sort of them all.
   */
  take(n: number): { page: number[]; next: number | undefined } {
    const { est, times, taken } = this;
    const heap: number[] = []; // the worst of the kept at the top
    const size = n + 1;
    // Whether candidate a ranks after candidate b.
    const worse = (a: number, b: number) => est[a]! < est[b]! || (est[a] === est[b] && times[a]! < times[b]!);
    // Backwards: an index lists posts about in the order they were written,
    // oldest first, so the newest come first and few later ones displace them.
    for (let i = this.length - 1; i >= 0; i--) {
      if (taken[i]) continue;
      if (heap.length < size) {
        let k = heap.push(i) - 1;
        while (k > 0) {
          const parent = (k - 1) >> 1;
          if (!worse(heap[k]!, heap[parent]!)) break;
          const swap = heap[k]!;
          heap[k] = heap[parent]!;
          heap[parent] = swap;
          k = parent;
        }
      } else if (worse(heap[0]!, i)) {
        heap[0] = i;
        for (let k = 0; ; ) {
          const left = 2 * k + 1;
          const right = left + 1;
          let top = k;
          if (left < size && worse(heap[left]!, heap[top]!)) top = left;
          if (right < size && worse(heap[right]!, heap[top]!)) top = right;
          if (top === k) break;
          const swap = heap[k]!;
          heap[k] = heap[top]!;
          heap[top] = swap;
          k = top;
        }
      }
    }
    const page = heap.sort((a, b) => (worse(b, a) ? -1 : worse(a, b) ? 1 : 0));
    const next = page.length > n ? page.pop() : undefined;
    for (const i of page) taken[i] = 1;
    return { page, next };
  }

  /**
   * Every post of an index's joined lists that the date range lets through
   * and `skip` does not name, with the best score its terms' fields allow
   * plus `unknown` (1 for all when there are no terms, only filters). One
   * loop over typed arrays: a common character names 100,000 posts.
   */
  addList(source: number, joined: { ordinals: Uint32Array; fields: Uint8Array[] }, terms: number, docs: { times: Float64Array; idList: readonly string[]; gaps: Uint8Array | null }, from: number, to: number, unknown: number, skip: ((id: string) => boolean) | null): void {
    const { ordinals, fields } = joined;
    this.reserve(ordinals.length);
    const { times: postTimes, idList, gaps } = docs;
    const { from: sources, ordinal: places, est, times, inText: text } = this;
    let length = this.length;
    for (let i = 0; i < ordinals.length; i++) {
      const ordinal = ordinals[i]!;
      const time = postTimes[ordinal]!;
      if (time < from || time >= to) continue;
      if ((gaps !== null && gaps[ordinal]) || (skip !== null && skip(idList[ordinal]!))) continue;
      let estimate = unknown;
      // A term whose grams are not all in the text is not in it (single Latin letters have no grams: they may be).
      let inText = unknown > 0;
      for (let t = 0; t < terms; t++) {
        const bits = fields[t]![i]!;
        estimate += bestWeight(bits);
        if (bits & FIELD.text) inText = true;
      }
      sources[length] = source;
      places[length] = ordinal;
      est[length] = terms || unknown ? estimate : 1;
      times[length] = time;
      text[length] = inText ? 1 : 0;
      length++;
    }
    this.length = length;
  }
}

interface Hit {
  post: PostRecord;
  score: number;
  time: number;
  /** False when the index shows no term is in the post's text: its excerpt is its opening, unsearched. */
  inText: boolean;
}

function needsOf(query: SearchQuery): { terms: Need[]; filters: Need[] } {
  return {
    terms: query.terms.map((t) => ({ ...termGrams(t), field: null })),
    filters: [
      ...query.channels.map((c) => ({ ...termGrams(c), field: FIELD.channel })),
      ...query.tags.map((t) => ({ ...termGrams(t), field: FIELD.tags })),
    ],
  };
}

/**
 * Posts that answer a query, best first (title matches before tags, channel
 * and text; then newest), each with where it matched for highlighting.
 */
export async function searchPosts(db: ArchiveDb, input: string, limit = 50): Promise<SearchAnswer> {
  const query = parseQuery(input);
  if (!query.videoId && !hasCriteria(query)) return { posts: [], total: 0 };
  const sources = await sourcesById(db);
  const view = (p: PostRecord, inText = true) => withMatches(toView(p, sources.get(p.sourceId)), query, inText);
  if (query.videoId) {
    // A video link or id: straight to that video.
    const posts = (await postsOfVideos(db, 'videoIds', [query.videoId])).filter(visible(sources)).sort(newestFirst);
    if (posts.length) return { posts: posts.slice(0, limit).map((p) => view(p)), total: posts.length };
    if (!hasCriteria(query)) return { posts: [], total: 0 };
  }
  const needs = needsOf(query);
  const narrowing = [...needs.terms, ...needs.filters].some((n) => n.grams.length > 0);
  const dated = query.from !== null || query.to !== null;
  if (!narrowing && !dated && !query.removed) return { posts: [], total: 0, tooShort: true };

  const found = await collect(db, sources, query, needs, limit);
  const { hits, total, approximate } = await rank(db, query, found, limit);
  found.candidates.release();
  return { posts: hits.map((h) => view(h.post, h.inText)), total, ...(approximate ? { approximate } : {}) };
}

// Queries any Chinese archive answers, one of each kind (a character, a
// word, two words, a month), run and thrown away when search is readied: a
// worker's first query otherwise runs in V8's interpreter before its loops
// are compiled (at 122,000 posts in Chromium, 罗宾 took 24 ms in the
// background the first time and 7 ms the next).
const WARM_UP = ['的', '中国', '时间 问题', '2020-01'];
let warmedUp = false;

/**
 * Readies search for the next query: each index's list of posts read, and
 * the code run once over the index. `again` after the archive changed (an
 * index of a new size); otherwise once in the worker's life.
 */
export async function readySearch(db: ArchiveDb, again: boolean): Promise<void> {
  await warmSearch(db);
  if (warmedUp && !again) return;
  warmedUp = true;
  for (const query of WARM_UP) await searchPosts(db, query, 30);
}

/**
 * What the popup lists: the answer's posts without their text, which can be
 * thousands of characters each; each carries the excerpt around its match.
 */
export async function searchHits(db: ArchiveDb, input: string, limit = 50, usualText?: (channel: string) => Boilerplate | undefined): Promise<SearchAnswer<SearchHit>> {
  const answer = await searchPosts(db, input, limit);
  const terms = usualText ? parseQuery(input).terms : [];
  return {
    ...answer,
    posts: answer.posts.map(({ summary, folded: _folded, ...hit }) => {
      // The excerpt comes from the post's own words: a match only in the channel's appeal,
      // or none at all, shows the words after it, never the appeal alone.
      const boilerplate = hit.matches && usualText?.(hit.channel);
      if (!boilerplate || !hit.matches) return hit;
      const parts = foldBoilerplate(summary, boilerplate);
      if (!parts.header && !parts.footer) return hit;
      const inText = hit.matches.excerpt.ranges.length > 0;
      return { ...hit, matches: { ...hit.matches, excerpt: excerpt(parts.main, inText ? terms : []) } };
    }),
  };
}

const REMOVED_CHUNK = 500;

/** Every candidate for a query: removed posts from their own index, else from each source's index, or by time when nothing else narrows. */
async function collect(db: ArchiveDb, sources: ReadonlyMap<string, SourceRecord>, query: SearchQuery, needs: ReturnType<typeof needsOf>, limit: number): Promise<Found> {
  const found: Found = { candidates: new Candidates(), hits: [], scanned: 0 };
  found.candidates.exact = [...needs.terms, ...needs.filters].every((n) => n.exact);
  if (query.removed) {
    // Few, and in an index of their own (db/removed.ts): each is read and checked.
    for (const source of sources.values()) {
      const keys = await removedOf(db, source.id, source.gen ?? 0);
      for (let i = 0; i < keys.length; i += REMOVED_CHUNK) {
        for (const post of await getPosts(db, keys.slice(i, i + REMOVED_CHUNK))) if (post) check(post, query, found.hits);
      }
    }
  } else if ([...needs.terms, ...needs.filters].some((n) => n.grams.length > 0)) {
    const current = new Set([...sources.values()].filter(hasIndex).map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
    for (const source of sources.values()) {
      if (!(await fromIndex(db, source, query, needs, current, found))) await scan(db, source, query, limit, found);
    }
  } else {
    await byTime(db, sources, query, needs, found);
  }
  return found;
}

/** One page of what the library lists: every post newest first, or a query's answers best first. */
export interface BrowsePage extends SearchAnswer {
  offset: number;
}

// The order of the last list browsed, so scrolling reads one page at a time
// instead of ranking again; dropped when any source changes.
let browsed: { key: string; candidates: Candidates; order: Uint32Array } | null = null;
const BROWSE_SCANNED = 2000;

/**
 * A page of the library's list. An empty query lists every post, newest
 * first; otherwise the query's answers, ranked as search ranks them. The
 * page is read and checked with scorePost; the order and the total come
 * from the index (a post the index names but the text does not hold is
 * left out of its page: rare, and only for queries it cannot decide).
 */
export async function browsePosts(db: ArchiveDb, input: string, offset: number, limit: number): Promise<BrowsePage> {
  const query = parseQuery(input);
  const sources = await sourcesById(db);
  const view = (p: PostRecord) => withMatches(toView(p, sources.get(p.sourceId)), query);
  const criteria = hasCriteria(query);
  if (query.videoId && !criteria) return { ...(await searchPosts(db, input, limit)), offset: 0 };
  const needs = needsOf(query);
  if (criteria && ![...needs.terms, ...needs.filters].some((n) => n.grams.length > 0) && query.from === null && query.to === null && !query.removed) {
    return { posts: [], total: 0, tooShort: true, offset: 0 };
  }
  const key = `${db.name}\n${versionOf(sources.values())}\n${input.trim()}`;
  if (browsed?.key !== key) {
    const found = await collect(db, sources, query, needs, BROWSE_SCANNED);
    for (const hit of found.hits) found.candidates.pushKey(hit.post.key, hit.score, hit.time);
    browsed = { key, candidates: found.candidates, order: found.candidates.order() };
  }
  const { candidates, order } = browsed;
  const page = [...order.subarray(offset, offset + limit)];
  const posts = (await getPosts(db, page.map((i) => candidates.key(i)))).filter(
    (p): p is PostRecord => p !== undefined && (!criteria || scorePost(p, query) !== null),
  );
  // A list that fits in its first page has been read and checked whole: its count is exact.
  if (offset === 0 && order.length <= limit) return { posts: posts.map(view), total: posts.length, offset };
  return { posts: posts.map(view), total: order.length, offset, ...(candidates.exact ? {} : { approximate: true }) };
}

/**
 * Up to `count` of a query's answers spread evenly over its whole list
 * (newest to oldest), read in one request: a channel's posts of every era,
 * for finding its usual text (db/boilerplate.ts). The library's browsing
 * order is left as it is.
 */
export async function spreadSample(db: ArchiveDb, input: string, count: number): Promise<PostRecord[]> {
  const query = parseQuery(input);
  const sources = await sourcesById(db);
  const found = await collect(db, sources, query, needsOf(query), BROWSE_SCANNED);
  for (const hit of found.hits) found.candidates.pushKey(hit.post.key, hit.score, hit.time);
  const order = found.candidates.order();
  const picks = order.length <= count ? [...order] : Array.from({ length: count }, (_, i) => order[Math.floor((i * order.length) / count)]!);
  const posts = await getPosts(db, picks.map((i) => found.candidates.key(i)));
  return posts.filter((p): p is PostRecord => p !== undefined && scorePost(p, query) !== null);
}

interface Found {
  candidates: Candidates;
  /** Posts already read and checked. */
  hits: Hit[];
  /** Matches counted by a scan but not kept (beyond the best `limit`). */
  scanned: number;
}

/** A source's candidates from its index; false when it has none yet (built by the background soon). */
async function fromIndex(db: ArchiveDb, source: SourceRecord, query: SearchQuery, needs: ReturnType<typeof needsOf>, current: ReadonlySet<string>, found: Found): Promise<boolean> {
  if (!hasIndex(source)) return false;
  const docs = await loadDocs(db, source.id, source.searchIndex, current);
  if (!docs) return false;
  const terms = needs.terms.filter((n) => n.grams.length > 0);
  const filters = needs.filters.filter((n) => n.grams.length > 0);
  const rows = await loadBuckets(db, docs, [...terms, ...filters].flatMap((n) => n.grams));
  const listOf = (need: Need) => {
    const list = intersect(need.grams.map((g) => postingsAcross(rows.get(g) ?? [], g)));
    return need.field === null ? list : inField(list, need.field);
  };
  const joined = joinTerms([...terms, ...filters].map(listOf));
  // Terms of single Latin letters narrow nothing: assume the best of them.
  const unknown = (needs.terms.length - terms.length) * WEIGHT.title;
  const changed = new Set(source.searchIndex.changed);
  const prefix = `${source.id}|${docs.gen}|`;
  const list = found.candidates.source(prefix, docs.idList);
  const skip = changed.size ? (id: string) => changed.has(prefix + id) : null;
  found.candidates.addList(list, joined, terms.length, docs, query.from ?? -Infinity, query.to ?? Infinity, unknown, skip);
  // Posts changed since the index was built are read and checked as they are now.
  if (changed.size) {
    for (const post of await getPosts(db, [...changed])) {
      if (post && post.gen === docs.gen) check(post, query, found.hits);
    }
  }
  return true;
}

function check(post: PostRecord, query: SearchQuery, hits: Hit[], inText = true): void {
  const score = scorePost(post, query);
  if (score !== null) hits.push({ post, score, time: post.time, inText });
}

/** A source without an index yet: every post of it is read once, keeping the best. */
async function scan(db: ArchiveDb, source: SourceRecord, query: SearchQuery, limit: number, found: Found): Promise<void> {
  const best: Hit[] = [];
  await eachPost(db, source.id, source.gen ?? 0, (posts) => {
    for (const post of posts) {
      check(post, query, best);
      if (best.length > limit * 4) {
        best.sort(byRelevance);
        found.scanned += best.length - limit;
        best.length = limit;
      }
    }
  });
  found.hits.push(...best);
}

/**
 * A date filter and nothing to narrow by: the times kept with each index
 * (one pass over an array), or the time index for a source without one.
 */
async function byTime(db: ArchiveDb, sources: ReadonlyMap<string, SourceRecord>, query: SearchQuery, needs: ReturnType<typeof needsOf>, found: Found): Promise<void> {
  const from = query.from ?? -Infinity;
  const to = query.to ?? Infinity;
  const estimate = query.terms.length ? query.terms.length * WEIGHT.title : 1;
  found.candidates.exact = needs.terms.length === 0 && needs.filters.length === 0;
  const current = new Set([...sources.values()].filter(hasIndex).map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
  for (const source of sources.values()) {
    const docs = hasIndex(source) ? await loadDocs(db, source.id, source.searchIndex, current) : null;
    const prefix = `${source.id}|${source.gen ?? 0}|`;
    if (docs) {
      const changed = new Set(source.searchIndex!.changed);
      const list = found.candidates.source(prefix, docs.idList);
      for (let ordinal = 0; ordinal < docs.times.length; ordinal++) {
        const time = docs.times[ordinal]!;
        if (time < from || time >= to) continue;
        if ((docs.gaps && docs.gaps[ordinal]) || (changed.size && changed.has(prefix + docs.idList[ordinal]!))) continue;
        found.candidates.push(list, ordinal, estimate, time, true);
      }
      for (const post of await getPosts(db, [...changed])) {
        if (post && post.gen === docs.gen && post.time >= from && post.time < to) found.candidates.pushKey(post.key, estimate, post.time);
      }
      continue;
    }
    // No index yet (built by the background soon): the source's posts, read once.
    await eachPost(db, source.id, source.gen ?? 0, (posts) => {
      for (const post of posts) if (post.time >= from && post.time < to) found.candidates.pushKey(post.key, estimate, post.time);
    });
  }
}

/**
 * The best `limit` of the candidates and hits. Candidates are read in the
 * order of their best possible score, a page at a time, until none left can
 * beat the page: usually one read of `limit` posts.
 */
async function rank(db: ArchiveDb, query: SearchQuery, found: Found, limit: number): Promise<{ hits: Hit[]; total: number; approximate: boolean }> {
  const { candidates } = found;
  const hits = found.hits.sort(byRelevance);
  let read = 0;
  let { page, next } = candidates.take(limit);
  /** The best candidate not read yet. */
  let best = page[0];
  const settled = () => {
    if (best === undefined) return true;
    if (hits.length < limit) return false;
    const worst = hits[limit - 1]!;
    const estimate = candidates.estimate(best);
    return estimate < worst.score || (estimate === worst.score && candidates.time(best) <= worst.time);
  };
  while (!settled()) {
    const posts = await getPosts(db, page.map((i) => candidates.key(i)));
    read += page.length;
    posts.forEach((post, k) => post && check(post, query, hits, candidates.mayBeInText(page[k]!)));
    hits.sort(byRelevance);
    best = next;
    if (settled()) break;
    ({ page, next } = candidates.take(Math.max(limit, 20)));
    best = page[0];
  }
  const unread = candidates.length - read;
  return {
    hits: hits.slice(0, limit),
    total: hits.length + found.scanned + unread,
    approximate: unread > 0 && !candidates.exact,
  };
}

function withMatches(post: PostView, query: SearchQuery, inText = true): PostView {
  if (query.terms.length === 0) return post;
  return {
    ...post,
    matches: { title: highlightRanges(post.title, query.terms), excerpt: excerpt(post.summary, inText ? query.terms : []) },
  };
}
