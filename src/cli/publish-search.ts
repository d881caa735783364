// The search index of `archive-lens publish` (core/published-search.ts), in
// segments. The first publish writes one; the next ones keep it (the base)
// and write the posts added or changed since into a newer segment, so a
// day's deploy carries that small segment and the meta file instead of every
// row of the index (a new post's grams touch nearly all of them: one post
// rewrote 528 of society's 1,157 files). Removed and changed posts of the
// base are listed as gone. Once the newer segment or the gone list passes a
// tenth of the base, everything is written again as one segment.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parsePost } from '../core/post';
import {
  docOf, DOCS_PER_FILE, docsFile, docsJson, encodeRow, FACETS_FILE, FacetCounter, META_FILE, postsFile, readMeta, rowFile,
  type PublishedDoc, type SearchMeta, type SegmentMeta,
} from '../core/published-search';
import { IndexBuilder } from '../core/search-index';
import type { SiteConfig } from '../core/site';

export interface SearchPost {
  path: string;
  bytes: Buffer;
  time: number;
}

/** What the last publish left: its base segment and each of its ordinals' path and content hash. */
export interface PreviousIndex {
  base: SegmentMeta;
  posts: [path: string, hash: string][];
}

/** The share of the base past which a publish writes everything again as one segment. */
export const REBUILD_FROM = 0.1;

const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const byTimeThenPath = (a: SearchPost, b: SearchPost) => a.time - b.time || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The base segment the index in `out` has, or null (none, or not one this version reads). */
export async function readPrevious(out: string): Promise<PreviousIndex | null> {
  try {
    const meta = readMeta(gunzipSync(await readFile(join(out, META_FILE))).toString('utf8'));
    const base = meta?.segments[0];
    if (!base) return null;
    const posts = JSON.parse(gunzipSync(await readFile(join(out, postsFile(base.id)))).toString('utf8')) as [string, string][];
    return Array.isArray(posts) && posts.length === base.posts ? { base, posts } : null;
  } catch {
    return null;
  }
}

export interface SearchFiles {
  files: Map<string, Uint8Array>;
  /** Segment folders kept as they are on disk (not in `files`, not to be removed). */
  kept: string[];
  meta: SearchMeta;
}

export function searchFiles(all: readonly SearchPost[], site: SiteConfig | null, previous: PreviousIndex | null): SearchFiles {
  const files = new Map<string, Uint8Array>();
  const hashes = new Map(all.map((p) => [p.path, hashOf(p.bytes)]));
  const facets = new FacetCounter();
  let segments: SegmentMeta[] | null = null;
  let kept: string[] = [];
  if (previous) {
    // The base's posts that are still there, unchanged; the rest of its ordinals are gone.
    const claimed = new Set<string>();
    const gone: number[] = [];
    previous.posts.forEach(([path, hash], ordinal) => {
      if (hashes.get(path) === hash && !claimed.has(path)) claimed.add(path);
      else gone.push(ordinal);
    });
    const rest = all.filter((p) => !claimed.has(p.path));
    const live = previous.base.posts - gone.length;
    if (gone.length <= previous.base.posts * REBUILD_FROM && rest.length <= live * REBUILD_FROM) {
      segments = [{ ...previous.base, gone }];
      kept = [`search/${previous.base.id}/`];
      if (rest.length) segments.push(writeSegment([...rest].sort(byTimeThenPath), site, hashes, files, facets));
      // The kept posts count in the facets too: read again, as no parsed post is held.
      for (const p of all) if (claimed.has(p.path)) facets.add(parse(p, site));
    }
  }
  segments ??= [writeSegment([...all].sort(byTimeThenPath), site, hashes, files, facets)];
  const meta: SearchMeta = { posts: all.length, segments };
  const encoder = new TextEncoder();
  files.set(META_FILE, encoder.encode(`${JSON.stringify(meta)}\n`));
  files.set(FACETS_FILE, encoder.encode(`${JSON.stringify(facets.facets())}\n`));
  return { files, kept, meta };
}

function parse(post: SearchPost, site: SiteConfig | null) {
  const parsed = parsePost(post.bytes.toString('utf8'), post.path, { timeZone: site?.timezone });
  if (!parsed.ok) throw new Error(`${post.path} read differently the second time`);
  return parsed.post;
}

/**
 * One segment over `posts` (oldest first, then by path), each parsed again
 * from its bytes, so no parsed post is held for the whole archive (society
 * ×32's would be gigabytes of strings).
 */
function writeSegment(posts: readonly SearchPost[], site: SiteConfig | null, hashes: ReadonlyMap<string, string>, files: Map<string, Uint8Array>, facets: FacetCounter): SegmentMeta {
  const list = posts.map((p): [string, string] => [p.path, hashes.get(p.path)!]);
  const id = createHash('sha256').update(list.map(([path, hash]) => `${path}\0${hash}`).join('\n')).digest('hex').slice(0, 16);
  const encoder = new TextEncoder();
  const builder = new IndexBuilder();
  const times: number[] = [];
  let docs: PublishedDoc[] = [];
  for (const [ordinal, held] of posts.entries()) {
    const post = parse(held, site);
    builder.add(post);
    facets.add(post);
    if (ordinal % DOCS_PER_FILE === 0) times.push(post.time);
    docs.push(docOf(post, held.path));
    if (docs.length === DOCS_PER_FILE || ordinal === posts.length - 1) {
      files.set(docsFile(id, times.length - 1), encoder.encode(docsJson(docs)));
      docs = [];
    }
  }
  const buckets = builder.bucketCount();
  const own: string[] = [];
  for (const row of builder.buckets(buckets)) {
    if (row.bucket >= buckets) own[row.bucket - buckets] = row.grams;
    files.set(rowFile(id, row.bucket), encodeRow(row));
  }
  files.set(postsFile(id), encoder.encode(`${JSON.stringify(list)}\n`));
  return { id, buckets, own, posts: posts.length, docsPerFile: DOCS_PER_FILE, times, gone: [] };
}
