// Answering a search from the index (db/search-index.ts): the grams of the
// query narrow each source's posts to candidates without reading a post;
// candidates are ranked by the best score their grams allow, and only as many
// as the page shows are read and checked with scorePost (never a false hit).
import { eachPost, getPosts, postsOfVideos } from './post-store';
import { foldBoilerplate, type Boilerplate } from '../core/boilerplate';
import { removedOf } from './removed';
import { excerpt, highlightRanges } from '../core/highlight';
import { byRelevance, hasCriteria, parseQuery, scorePost, WEIGHT, type SearchQuery } from '../core/search';
import { FIELD, inField, intersect, joinTerms, postingsAcross, termGrams } from '../core/search-index';
import { Candidates } from './search-candidates';
import { knownPacks, prepareVideoTables } from './indexed-videos';
import { newestFirst } from '../core/twins';
import type { PostView, SearchHit } from '../shared/messages';
import { toView, versionOf, visible } from './queries';
import { sourcesById } from './sources-cache';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import { docsKey, hasIndex, hiddenOrdinals, loadBuckets, loadDocs, warmSearch } from './search-index';

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
export async function searchPosts(db: ArchiveDb, input: string, limit = 50, usualText?: UsualText): Promise<SearchAnswer> {
  const query = parseQuery(input);
  if (!query.videoId && !hasCriteria(query)) return { posts: [], total: 0 };
  const sources = await sourcesById(db);
  const view = (p: PostRecord, inText = true) => withMatches(toView(p, sources.get(p.sourceId)), query, inText, usualText);
  if (query.videoId) {
    // A video link or id: straight to that video.
    const posts = (await postsOfVideos(db, 'videoIds', [query.videoId], sources.values(), knownPacks(db, sources))).filter(visible(sources)).sort(newestFirst);
    if (posts.length) return { posts: posts.slice(0, limit).map((p) => view(p)), total: posts.length };
    if (!hasCriteria(query)) return { posts: [], total: 0 };
  }
  const needs = needsOf(query);
  const narrowing = [...needs.terms, ...needs.filters].some((n) => n.grams.length > 0);
  const dated = query.from !== null || query.to !== null;
  if (!narrowing && !dated && !query.removed) return { posts: [], total: 0, tooShort: true };

  // Only the best few candidates are kept (see Candidates); if checking them
  // leaves the page short (terms whose grams the index found apart), all of them.
  let found = await collect(db, sources, query, needs, limit, searchLimits.keptPages * limit + 1);
  let ranked = await rank(db, query, found, limit);
  if (!ranked) {
    found.candidates.release();
    found = await collect(db, sources, query, needs, limit);
    ranked = (await rank(db, query, found, limit))!;
  }
  found.candidates.release();
  const { hits, total, approximate } = ranked;
  return { posts: hits.map((h) => view(h.post, h.inText)), total, ...(approximate ? { approximate } : {}) };
}

/** Pages of candidates a search keeps: a page is usually enough (see rank). Tests change it. */
export const searchLimits = { keptPages: 4 };

// Queries any Chinese archive answers, one of each kind (a character, a
// word, two words, a month), run and thrown away when search is readied: a
// worker's first query otherwise runs in V8's interpreter before its loops
// are compiled (at 122,000 posts in Chromium, 罗宾 took 24 ms in the
// background the first time and 7 ms the next).
const WARM_UP = ['的', '中国', '时间 问题', '2020-01'];
let warmedUp = false;

/** The warm-up running now, and one asked for after a change while it ran. */
let readying: Promise<void> | null = null;
let readyingAgain: Promise<void> | null = null;

/**
 * Readies search for the next query: each index's list of posts read, and
 * the code run once over the index. `again` after the archive changed (an
 * index of a new size); otherwise once in the worker's life. The warm-up
 * queries stop when `readerWaiting` says a reader asked meanwhile: its own
 * query runs the code, and it should not wait behind ours (as a ×32 sync
 * ends, a warm-up query over 13 segments read cold takes 50–150 ms).
 *
 * One warm-up at a time: a worker that starts is asked by each page that
 * opens (stats) and by the change it hears. Three warm-ups at once were
 * seen as a worker started at ×32, and the reader's first query took
 * 600–970 ms behind them. A call while one runs joins it; after a change,
 * one more runs once it ends.
 */
export function readySearch(db: ArchiveDb, again: boolean, readerWaiting: () => boolean = () => false): Promise<void> {
  if (!readying) {
    readying = warmUp(db, again, readerWaiting).finally(() => (readying = null));
    return readying;
  }
  if (!again) return readying;
  readyingAgain ??= readying
    .catch(() => {})
    .then(() => {
      readyingAgain = null;
      return readySearch(db, true, readerWaiting);
    });
  return readyingAgain;
}

async function warmUp(db: ArchiveDb, again: boolean, readerWaiting: () => boolean): Promise<void> {
  await warmSearch(db);
  if (!readerWaiting()) await prepareVideoTables(db);
  if (warmedUp && !again) return;
  for (const query of WARM_UP) {
    if (readerWaiting()) return;
    await searchPosts(db, query, 30);
  }
  warmedUp = true;
}

/** A channel's usual text (db/boilerplate.ts), where it is known: excerpts come from the words around it. */
export type UsualText = (channel: string) => Boilerplate | undefined;

/**
 * What the popup lists: the answer's posts without their text, which can be
 * thousands of characters each; each carries the excerpt around its match,
 * from the post's own words where its channel's usual text is known.
 */
export async function searchHits(db: ArchiveDb, input: string, limit = 50, usualText?: UsualText): Promise<SearchAnswer<SearchHit>> {
  const answer = await searchPosts(db, input, limit, usualText);
  return { ...answer, posts: answer.posts.map(({ summary: _summary, folded: _folded, ...hit }) => hit) };
}

const REMOVED_CHUNK = 500;

/** Every candidate for a query: removed posts from their own index, else from each source's index, or by time when nothing else narrows. */
async function collect(db: ArchiveDb, sources: ReadonlyMap<string, SourceRecord>, query: SearchQuery, needs: ReturnType<typeof needsOf>, limit: number, keep = Infinity): Promise<Found> {
  const found: Found = { candidates: new Candidates(keep), hits: [], scanned: 0 };
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
  const posts = (await getPosts(db, page.map((i) => candidates.key(i)), page.map((i) => candidates.pack(i)))).filter(
    (p): p is PostRecord => p !== undefined && (!criteria || scorePost(p, query) !== null),
  );
  // A list that fits in its first page has been read and checked whole: its count is exact.
  if (offset === 0 && order.length <= limit) return { posts: posts.map(view), total: posts.length, offset };
  return { posts: posts.map(view), total: order.length, offset, ...(candidates.exact ? {} : { approximate: true }) };
}

/** Where a sample's posts are (samplePicks): their keys, and the pack that holds each where the index knows it. */
export interface SamplePicks {
  keys: string[];
  packs: (string | undefined)[];
}

/**
 * About `count` of a query's answers spread evenly over its whole list (in
 * the archive's order, in whole packs: Candidates.spreadInPacks): a
 * channel's posts of every era, for finding its usual text
 * (db/boilerplate.ts). The library's browsing order is left as it is.
 */
export async function samplePicks(db: ArchiveDb, input: string, count: number): Promise<SamplePicks> {
  const query = parseQuery(input);
  const sources = await sourcesById(db);
  const found = await collect(db, sources, query, needsOf(query), BROWSE_SCANNED);
  for (const hit of found.hits) found.candidates.pushKey(hit.post.key, hit.score, hit.time);
  const picks = found.candidates.spreadInPacks(count);
  const sample = { keys: picks.map((k) => found.candidates.key(k)), packs: picks.map((k) => found.candidates.pack(k)) };
  found.candidates.release();
  return sample;
}

/** The posts of a sample (samplePicks) that answer its query; `between`: read `chunk` at a time, pausing between (see ChannelBoilerplate.findAll). */
export async function readSample(db: ArchiveDb, input: string, sample: SamplePicks, between?: { chunk: number; pause: () => Promise<void> }): Promise<PostRecord[]> {
  const query = parseQuery(input);
  const chunk = between?.chunk ?? sample.keys.length;
  const posts: (PostRecord | undefined)[] = [];
  for (let i = 0; i < sample.keys.length; i += chunk) {
    if (i > 0) await between?.pause();
    // Not cached: hundreds of posts, read once (they would push a reader's out of the cache).
    posts.push(...(await getPosts(db, sample.keys.slice(i, i + chunk), sample.packs.slice(i, i + chunk), false)));
  }
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
  const list = found.candidates.source(prefix, docs.idList, docs.packRuns);
  const hidden = hiddenOrdinals(docs, source.searchIndex.changed);
  found.candidates.addList(list, joined, terms.length, docs.times, hidden, query.from ?? -Infinity, query.to ?? Infinity, unknown);
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
      const list = found.candidates.source(prefix, docs.idList, docs.packRuns);
      const hidden = hiddenOrdinals(docs, source.searchIndex!.changed);
      for (let ordinal = 0; ordinal < docs.times.length; ordinal++) {
        const time = docs.times[ordinal]!;
        if (time < from || time >= to) continue;
        if (hidden && hidden[ordinal]) continue;
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
 * beat the page: usually one read of `limit` posts. Null when a bounded list
 * of candidates ran out before that (the caller collects them all).
 */
async function rank(db: ArchiveDb, query: SearchQuery, found: Found, limit: number): Promise<{ hits: Hit[]; total: number; approximate: boolean } | null> {
  const { candidates } = found;
  const hits = found.hits.sort(byRelevance);
  let read = 0;
  let { page, next } = candidates.take(limit);
  /** The best candidate not read yet. */
  let best = page[0];
  /** The worst candidate taken so far. */
  let last = page.at(-1);
  /** Whether candidates were let go that the pages may still need (a bounded list ran out). */
  let unknown = next === undefined && candidates.truncated;
  /** Whether the hits are the page: no candidate left can beat its worst (the one after `last`, if let go). */
  const settled = () => {
    if (hits.length < limit) return best === undefined && !unknown;
    const worst = hits[limit - 1]!;
    const against = best ?? (unknown ? last : undefined);
    if (against === undefined) return true;
    // Candidates let go rank after `last`: none can beat what `last` cannot.
    const estimate = candidates.estimate(against);
    return estimate < worst.score || (estimate === worst.score && candidates.time(against) <= worst.time);
  };
  while (!settled()) {
    if (best === undefined) return null;
    const posts = await getPosts(db, page.map((i) => candidates.key(i)), page.map((i) => candidates.pack(i)));
    read += page.length;
    posts.forEach((post, k) => post && check(post, query, hits, candidates.mayBeInText(page[k]!)));
    hits.sort(byRelevance);
    best = next;
    if (settled()) break;
    ({ page, next } = candidates.take(Math.max(limit, 20)));
    best = page[0];
    last = page.at(-1) ?? last;
    unknown = next === undefined && candidates.truncated;
  }
  const unread = candidates.total - read;
  return {
    hits: hits.slice(0, limit),
    total: hits.length + found.scanned + unread,
    approximate: unread > 0 && !candidates.exact,
  };
}

function withMatches(post: PostView, query: SearchQuery, inText = true, usualText?: UsualText): PostView {
  if (query.terms.length === 0) return post;
  return {
    ...post,
    matches: { title: highlightRanges(post.title, query.terms), excerpt: excerpt(ownWords(post, usualText), inText ? query.terms : []) },
  };
}

/**
 * The post's summary without its channel's usual text, where that is known:
 * a match only in the channel's appeal, or none at all, shows the words after
 * it, never the appeal alone. Cut before the excerpt is made, so each result's
 * excerpt is made once (it was made of the whole summary, then again).
 */
function ownWords(post: PostView, usualText: UsualText | undefined): string {
  const boilerplate = usualText?.(post.channel);
  return boilerplate ? foldBoilerplate(post.summary, boilerplate).main : post.summary;
}
