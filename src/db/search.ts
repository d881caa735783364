// Answering a search from the index (db/search-index.ts): the grams of the
// query narrow each source's posts to candidates without reading a post;
// candidates are ranked by the best score their grams allow, and only as many
// as the page shows are read and checked with scorePost (never a false hit).
import { byRelevance, excerpt, hasCriteria, highlightRanges, parseQuery, scorePost, WEIGHT, type SearchQuery } from '../core/search';
import { bestWeight, EMPTY_LIST, FIELD, inField, intersect, joinTerms, postingsIn, termGrams } from '../core/search-index';
import { newestFirst } from '../core/twins';
import type { PostView } from '../shared/messages';
import { sourcesById, toView, visible } from './queries';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import { docsKey, hasIndex, loadBuckets, loadDocs } from './search-index';

export interface SearchAnswer {
  posts: PostView[];
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

interface Candidate {
  key: string;
  time: number;
  /** The best score the post can have (scorePost's is the same or lower). */
  estimate: number;
  /** The index alone proves the post matches. */
  exact: boolean;
}

interface Hit {
  post: PostRecord;
  score: number;
  time: number;
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
  const view = (p: PostRecord) => withMatches(toView(p, sources.get(p.sourceId)), query);
  if (query.videoId) {
    // A video link or id: straight to that video.
    const posts = (await db.posts.where('videoIds').equals(query.videoId).toArray()).filter(visible(sources)).sort(newestFirst);
    if (posts.length) return { posts: posts.slice(0, limit).map(view), total: posts.length };
    if (!hasCriteria(query)) return { posts: [], total: 0 };
  }
  const needs = needsOf(query);
  const narrowing = [...needs.terms, ...needs.filters].some((n) => n.grams.length > 0);
  const dated = query.from !== null || query.to !== null;
  if (!narrowing && !dated) return { posts: [], total: 0, tooShort: true };

  const found: Found = { candidates: [], hits: [], scanned: 0 };
  if (narrowing) {
    const current = new Set([...sources.values()].filter(hasIndex).map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
    for (const source of sources.values()) {
      if (!(await fromIndex(db, source, query, needs, current, found))) await scan(db, source, query, limit, found);
    }
  } else {
    await byTime(db, sources, query, needs, found);
  }
  const { hits, total, approximate } = await rank(db, query, found, limit);
  return { posts: hits.map((h) => view(h.post)), total, ...(approximate ? { approximate } : {}) };
}

interface Found {
  candidates: Candidate[];
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
    const list = intersect(need.grams.map((g) => {
      const row = rows.get(g);
      return row ? postingsIn(row, g) : EMPTY_LIST;
    }));
    return need.field === null ? list : inField(list, need.field);
  };
  const joined = joinTerms([...terms, ...filters].map(listOf));
  // Terms of single Latin letters narrow nothing: assume the best of them.
  const unknown = (needs.terms.length - terms.length) * WEIGHT.title;
  const exact = [...needs.terms, ...needs.filters].every((n) => n.exact);
  const changed = new Set(source.searchIndex.changed);
  const prefix = `${source.id}|${docs.gen}|`;
  for (let i = 0; i < joined.ordinals.length; i++) {
    const ordinal = joined.ordinals[i]!;
    const time = docs.times[ordinal]!;
    if ((query.from !== null && time < query.from) || (query.to !== null && time >= query.to)) continue;
    const key = prefix + docs.ids[ordinal]!;
    if (changed.size && changed.has(key)) continue;
    let estimate = unknown;
    for (let t = 0; t < terms.length; t++) estimate += bestWeight(joined.fields[t]![i]!);
    found.candidates.push({ key, time, estimate: query.terms.length ? estimate : 1, exact });
  }
  // Posts changed since the index was built are read and checked as they are now.
  if (changed.size) {
    for (const post of await db.posts.bulkGet([...changed])) {
      if (post && post.gen === docs.gen) check(post, query, found.hits);
    }
  }
  return true;
}

function check(post: PostRecord, query: SearchQuery, hits: Hit[]): void {
  const score = scorePost(post, query);
  if (score !== null) hits.push({ post, score, time: post.time });
}

/** A source without an index yet: every post of it is read once, keeping the best. */
async function scan(db: ArchiveDb, source: SourceRecord, query: SearchQuery, limit: number, found: Found): Promise<void> {
  const best: Hit[] = [];
  await db.posts.where('[sourceId+gen]').equals([source.id, source.gen ?? 0]).each((post) => {
    check(post, query, best);
    if (best.length > limit * 4) {
      best.sort(byRelevance);
      found.scanned += best.length - limit;
      best.length = limit;
    }
  });
  found.hits.push(...best);
}

/** A date filter and nothing to narrow by: the time index, newest first, keys only. */
async function byTime(db: ArchiveDb, sources: Map<string, SourceRecord>, query: SearchQuery, needs: ReturnType<typeof needsOf>, found: Found): Promise<void> {
  const range = () => db.posts.where('time').between(query.from ?? -Infinity, query.to ?? Infinity, true, false).reverse();
  const [times, keys] = await Promise.all([range().keys(), range().primaryKeys()]);
  const prefixes = [...sources.values()].map((s) => `${s.id}|${s.gen ?? 0}|`);
  const exact = needs.terms.length === 0 && needs.filters.length === 0;
  const estimate = query.terms.length ? query.terms.length * WEIGHT.title : 1;
  keys.forEach((key, i) => {
    const k = String(key);
    if (prefixes.some((p) => k.startsWith(p))) found.candidates.push({ key: k, time: Number(times[i]), estimate, exact });
  });
}

/**
 * The best `limit` of the candidates and hits. Candidates are read in the
 * order of their best possible score, a page at a time, until none left can
 * beat the page: usually one read of `limit` posts.
 */
async function rank(db: ArchiveDb, query: SearchQuery, found: Found, limit: number): Promise<{ hits: Hit[]; total: number; approximate: boolean }> {
  const candidates = found.candidates.sort((a, b) => b.estimate - a.estimate || b.time - a.time);
  const hits = found.hits.sort(byRelevance);
  let next = 0;
  const settled = () => {
    if (next >= candidates.length) return true;
    if (hits.length < limit) return false;
    const worst = hits[limit - 1]!;
    const c = candidates[next]!;
    return c.estimate < worst.score || (c.estimate === worst.score && c.time <= worst.time);
  };
  while (!settled()) {
    const page = candidates.slice(next, next + Math.max(limit, 20));
    next += page.length;
    const posts = await db.posts.bulkGet(page.map((c) => c.key));
    for (const post of posts) if (post) check(post, query, hits);
    hits.sort(byRelevance);
  }
  const unread = candidates.slice(next);
  return {
    hits: hits.slice(0, limit),
    total: hits.length + found.scanned + unread.length,
    approximate: unread.some((c) => !c.exact),
  };
}

function withMatches(post: PostView, query: SearchQuery): PostView {
  if (query.terms.length === 0) return post;
  return {
    ...post,
    matches: { title: highlightRanges(post.title, query.terms), excerpt: excerpt(post.summary, query.terms) },
  };
}
