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
}

export async function publishIndex(options: PublishOptions): Promise<PublishResult> {
  const byVideo = new Map<string, Held[]>();
  const failures: PostError[] = [];
  let site: SiteConfig | null = null;
  let posts = 0;
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
    posts++;
    // A post of no video (an article) has no lookup; search will find it.
    const video = parsed.post.videoId;
    if (!video) continue;
    const held = byVideo.get(video) ?? [];
    held.push({ path: file.path, bytes: Buffer.from(file.bytes) });
    byVideo.set(video, held);
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

/** Writes the files whose bytes differ from what DIR holds, and removes shards no longer published. */
async function writeChanged(out: string, files: ReadonlyMap<string, Uint8Array>) {
  let written = 0;
  let unchanged = 0;
  let removed = 0;
  let bytes = 0;
  await mkdir(join(out, 'lookup'), { recursive: true });
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
  for (const name of await readdir(join(out, 'lookup'))) {
    if (files.has(`lookup/${name}`)) continue;
    await rm(join(out, 'lookup', name));
    removed++;
  }
  return { written, unchanged, removed, bytes };
}
