// `archive-lens publish <folder | .tar.gz> --out DIR`: writes the archive's
// published index (core/published.ts) into DIR, for the archive's website.
// The same posts give the same bytes, and a file whose bytes did not change
// is not rewritten, so a Pages deploy after a day of the archive job carries
// only the shards of the day's videos (and the manifest and filter).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodePostBytes } from '../core/archive-files';
import { Membership } from '../core/membership';
import { parsePost, type PostError } from '../core/post';
import {
  buildOf, PUBLISHED_FORMAT, PUBLISHED_VERSION, shardBitsFor, shardFile, shardJson, shardOf,
  type LookupShard, type PublishedManifest,
} from '../core/published';
import { parseSiteConfig, type SiteConfig } from '../core/site';
import { repoOption } from './bundle';
import { IndexBuilder } from '../core/search-index';
import { safeEnd } from '../core/clip';
import { DOCS_PER_FILE, docsFile, docsJson, encodeRow, FACETS_FILE, FacetCounter, HEAD_CHARS, META_FILE, rowFile, type PublishedDoc, type SearchMeta } from '../core/published-search';
import { preferredPath } from '../core/twins';
import { gzipSync } from 'node:zlib';
import { readArchive } from './read-archive';

export interface PublishOptions {
  input: string;
  out: string;
  name?: string;
  repo?: string;
}

export interface PublishResult {
  manifest: PublishedManifest;
  /** Files whose bytes changed (or are new), unchanged, and removed (shards no video needs now). */
  written: number;
  unchanged: number;
  removed: number;
  bytes: number;
  failures: PostError[];
}

interface Held {
  path: string;
  /** UTF-8, outside the JS heap: society ×32 is 441 MiB of posts. */
  bytes: Buffer;
  time: number;
}

export async function publishIndex(options: PublishOptions): Promise<PublishResult> {
  const byVideo = new Map<string, Held[]>();
  // Twins (a post's stale `_posts/` copy beside its `archived/` one) are one post, as in a sync (core/twins.ts).
  const byId = new Map<string, Held>();
  const failures: PostError[] = [];
  let site: SiteConfig | null = null;
  for await (const file of readArchive(options.input, { withConfig: true })) {
    const decoded = decodePostBytes(file.bytes);
    if (file.path === '_config.yml') {
      if (decoded.ok) site = parseSiteConfig(decoded.text);
      continue;
    }
    if (!decoded.ok) {
      failures.push({ path: file.path, reason: 'not-utf8', message: decoded.message });
      continue;
    }
    const parsed = parsePost(decoded.text, file.path, { timeZone: site?.timezone });
    if (!parsed.ok) {
      failures.push(parsed.error);
      continue;
    }
    const held: Held = { path: file.path, bytes: Buffer.from(file.bytes), time: parsed.post.time };
    const twin = byId.get(parsed.post.id);
    if (!twin || preferredPath([twin.path, held.path]) === held.path) byId.set(parsed.post.id, held);
    // A post of no video (an article) has no lookup; search finds it.
    const video = parsed.post.videoId;
    if (!video) continue;
    byVideo.set(video, [...(byVideo.get(video) ?? []), held]);
  }

  const shardBits = shardBitsFor(byVideo.size);
  const shards = new Map<string, string[]>();
  for (const video of byVideo.keys()) {
    const shard = shardOf(video, shardBits);
    const list = shards.get(shard) ?? [];
    list.push(video);
    shards.set(shard, list);
  }
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  for (const [shard, videos] of shards) {
    const content: LookupShard = { videos: {} };
    for (const video of videos) content.videos[video] = byVideo.get(video)!.map((h) => ({ path: h.path, text: h.bytes.toString('utf8') }));
    files.set(shardFile(shard), encoder.encode(shardJson(content)));
  }
  const all = [...byId.values()];
  const posts = all.length;
  for (const [name, content] of searchFiles(all, site)) files.set(name, content);
  // Gzipped at rest (see core/published.ts): zlib writes no name and no time, so the bytes are the same each run.
  for (const [name, content] of files) if (name.endsWith('.gz')) files.set(name, gzipSync(content, { level: 9 }));
  const members = Membership.build(byVideo.keys(), byVideo.size).toData();
  files.set('members.bin', Buffer.from(members.data, 'base64'));

  const repo = repoOption(options.repo);
  const manifest: PublishedManifest = {
    format: PUBLISHED_FORMAT, version: PUBLISHED_VERSION, build: buildOf(files),
    name: options.name ?? (repo ? `${repo.owner}/${repo.name}` : basename(options.input).replace(/\.(tar\.gz|tgz|tar)$/, '')),
    repo, site, posts, videos: byVideo.size, shardBits, memberBits: members.bits,
  };
  files.set('manifest.json', encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return { manifest, failures, ...(await writeChanged(options.out, files)) };
}

/**
 * The search index (core/published-search.ts): posts oldest first (then by
 * path), each parsed again from its bytes, so no parsed post is held for
 * the whole archive (society ×32's would be gigabytes of strings).
 */
function* searchFiles(all: Held[], site: SiteConfig | null): Generator<[string, Uint8Array]> {
  all.sort((a, b) => a.time - b.time || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const builder = new IndexBuilder();
  const encoder = new TextEncoder();
  const times: number[] = [];
  const facets = new FacetCounter();
  let docs: PublishedDoc[] = [];
  for (const [ordinal, held] of all.entries()) {
    const parsed = parsePost(held.bytes.toString('utf8'), held.path, { timeZone: site?.timezone });
    if (!parsed.ok) throw new Error(`${held.path} read differently the second time`);
    const post = parsed.post;
    builder.add(post);
    facets.add(post);
    if (ordinal % DOCS_PER_FILE === 0) times.push(post.time);
    docs.push({
      title: post.title.trim(), date: post.date, time: post.time, channel: post.channel, author: post.author, tags: post.tags,
      videoId: post.videoId, path: held.path, head: post.summary.slice(0, safeEnd(post.summary, HEAD_CHARS)),
      ...(post.categories ? { categories: post.categories } : {}), ...(post.permalink ? { permalink: post.permalink } : {}),
      ...(post.slug ? { slug: post.slug } : {}), ...(post.unpublished ? { unpublished: true as const } : {}),
      ...(post.summary.length > HEAD_CHARS ? { length: post.summary.length } : {}),
    });
    if (docs.length === DOCS_PER_FILE) {
      yield [docsFile(times.length - 1), encoder.encode(docsJson(docs))];
      docs = [];
    }
  }
  if (docs.length) yield [docsFile(times.length - 1), encoder.encode(docsJson(docs))];
  const buckets = builder.bucketCount();
  const own: string[] = [];
  for (const row of builder.buckets(buckets)) {
    if (row.bucket >= buckets) own[row.bucket - buckets] = row.grams;
    yield [rowFile(row.bucket), encodeRow(row)];
  }
  const meta: SearchMeta = { buckets, own, posts: all.length, docsPerFile: DOCS_PER_FILE, times };
  yield [META_FILE, encoder.encode(`${JSON.stringify(meta)}\n`)];
  yield [FACETS_FILE, encoder.encode(`${JSON.stringify(facets.facets())}\n`)];
}

/** The folders of an index: what is in them and not published now is removed. */
const FOLDERS = ['lookup', 'search/rows', 'search/docs'];

/** Writes the files whose bytes differ from what DIR holds, and removes shards no longer published. */
async function writeChanged(out: string, files: ReadonlyMap<string, Uint8Array>) {
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  let bytes = 0;
  for (const folder of FOLDERS) await mkdir(join(out, folder), { recursive: true });
  for (const [name, content] of files) {
    bytes += content.length;
    const target = join(out, name);
    const before = await readFile(target).catch(() => null);
    if (before && Buffer.compare(before, content) === 0) {
      unchanged++;
      continue;
    }
    await writeFile(target, content);
    written++;
  }
  for (const folder of FOLDERS) {
    for (const name of await readdir(join(out, folder))) {
      if (files.has(`${folder}/${name}`)) continue;
      await rm(join(out, folder, name));
      removed++;
    }
  }
  return { written, unchanged, removed, bytes };
}
