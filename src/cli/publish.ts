// `archive-lens publish <folder | .tar.gz> --out DIR`: writes the archive's
// published index (core/published.ts) into DIR, for the archive's website.
// The same posts give the same bytes, and a file whose bytes did not change
// is not rewritten, so a Pages deploy after a day of the archive job carries
// only the shards of the day's videos (and the manifest and filter).
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { decodePostBytes } from '../core/archive-files';
import { Membership } from '../core/membership';
import { parsePost, type PostError } from '../core/post';
import {
  buildOf, PUBLISHED_FORMAT, PUBLISHED_VERSION, shardBitsFor, shardFile, shardJson, shardOf,
  type LookupShard, type PublishedManifest,
} from '../core/published';
import { parseSiteConfig, type SiteConfig } from '../core/site';
import { repoOption } from './bundle';
import { readPrevious, searchFiles } from './publish-search';
import { docArray, docOf, type PublishedDoc } from '../core/published-search';
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
  /** Segments of the search index (publish-search.ts): 1 after a full write. */
  segments: number;
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
  const mentioning = new Map<string, { doc: PublishedDoc; videos: string[] }>();
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
    if (!twin || preferredPath([twin.path, held.path]) === held.path) {
      byId.set(parsed.post.id, held);
      // The videos it only links or embeds: their shards list it, as docs files keep posts (few: society has 503 such links).
      const mentioned = parsed.post.mentions.filter((id) => id !== parsed.post.videoId);
      if (mentioned.length) mentioning.set(parsed.post.id, { doc: docOf(parsed.post, file.path), videos: [...new Set(mentioned)] });
    }
    // A post of no video (an article) has no lookup; search finds it.
    const video = parsed.post.videoId;
    if (!video) continue;
    byVideo.set(video, [...(byVideo.get(video) ?? []), held]);
  }

  const mentions = new Map<string, PublishedDoc[]>();
  for (const { doc, videos } of mentioning.values()) for (const video of videos) mentions.set(video, [...(mentions.get(video) ?? []), doc]);
  const shardBits = shardBitsFor(byVideo.size);
  const shards = new Map<string, LookupShard>();
  const shardFor = (video: string) => {
    const shard = shardOf(video, shardBits);
    let content = shards.get(shard);
    if (!content) shards.set(shard, (content = { videos: {} }));
    return content;
  };
  for (const [video, held] of byVideo) shardFor(video).videos[video] = held.map((h) => ({ path: h.path, text: h.bytes.toString('utf8') }));
  for (const [video, docs] of mentions) {
    const content = shardFor(video);
    (content.mentions ??= {})[video] = docs.sort((a, b) => b.time - a.time || (a.path < b.path ? -1 : 1)).map(docArray);
  }
  const files = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();
  for (const [shard, content] of shards) files.set(shardFile(shard), encoder.encode(shardJson(content)));
  const all = [...byId.values()];
  const posts = all.length;
  const search = searchFiles(all, site, await readPrevious(options.out));
  for (const [name, content] of search.files) files.set(name, content);
  // Gzipped at rest (see core/published.ts): zlib writes no name and no time, so the bytes are the same each run.
  for (const [name, content] of files) if (name.endsWith('.gz')) files.set(name, gzipSync(content, { level: 9 }));
  const members = Membership.build(byVideo.keys(), byVideo.size).toData();
  files.set('members.bin', Buffer.from(members.data, 'base64'));
  // Videos only linked or embedded: a lookup of one asks its shard for the posts that mention it.
  const mentionFilter = mentions.size ? Membership.build(mentions.keys(), mentions.size).toData() : null;
  if (mentionFilter) files.set('mentions.bin', Buffer.from(mentionFilter.data, 'base64'));

  // The build hashes every file but the segments' own: the meta file names each segment by a hash of its posts,
  // and a segment kept from the last publish is not among the files written now.
  const repo = repoOption(options.repo);
  const manifest: PublishedManifest = {
    format: PUBLISHED_FORMAT, version: PUBLISHED_VERSION, build: buildOf(new Map([...files].filter(([name]) => !name.startsWith('search/') || !name.slice(7).includes('/')))),
    name: options.name ?? (repo ? `${repo.owner}/${repo.name}` : basename(options.input).replace(/\.(tar\.gz|tgz|tar)$/, '')),
    repo, site, posts, videos: byVideo.size, shardBits, memberBits: members.bits, mentionBits: mentionFilter?.bits ?? 0,
  };
  files.set('manifest.json', encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return { manifest, failures, segments: search.meta.segments.length, ...(await writeChanged(options.out, files, search.kept)) };
}

/** The folders of an index: what is in them and not published now is removed (but for segments kept as they are). */
const FOLDERS = ['lookup', 'search'];

/** Writes the files whose bytes differ from what DIR holds, and removes shards no longer published. */
async function writeChanged(out: string, files: ReadonlyMap<string, Uint8Array>, kept: readonly string[]) {
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  let bytes = 0;
  for (const [name, content] of files) {
    bytes += content.length;
    const target = join(out, name);
    await mkdir(dirname(target), { recursive: true });
    const before = await readFile(target).catch(() => null);
    if (before && Buffer.compare(before, content) === 0) {
      unchanged++;
      continue;
    }
    await writeFile(target, content);
    written++;
  }
  for (const folder of FOLDERS) {
    for (const entry of await readdir(join(out, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const name = relative(out, join(entry.parentPath, entry.name)).split(sep).join('/');
      if (files.has(name)) continue;
      if (kept.some((prefix) => name.startsWith(prefix))) {
        unchanged++;
        bytes += (await stat(join(out, name))).size;
        continue;
      }
      await rm(join(out, name));
      removed++;
    }
  }
  // Folders of segments no longer published.
  for (const entry of await readdir(join(out, 'search'), { withFileTypes: true })) {
    if (entry.isDirectory() && (await readdir(join(out, 'search', entry.name), { recursive: true, withFileTypes: true })).every((e) => !e.isFile())) {
      await rm(join(out, 'search', entry.name), { recursive: true });
    }
  }
  return { written, unchanged, removed, bytes };
}
