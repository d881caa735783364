// A published index: an archive laid out as static files on the archive's
// own website (GitHub Pages), so a reader can follow it without downloading
// it. A lookup fetches one shard named by the first bits of SHA-256 of the
// video id, never the id itself: the host learns only which of thousands of
// shards was asked for, each shared by dozens of videos (the hash-prefix
// ranges of SponsorBlock and Have I Been Pwned). Posts are kept as their raw
// text, as in a bundle, so the extension reads them with its own parser.
//
//   manifest.json            PublishedManifest
//   members.bin              the Bloom filter of archived video ids (membership.ts)
//   lookup/<shard>.json.gz   LookupShard: the posts of the videos whose hash starts so
//   search/…                 the search index (core/published-search.ts)
//
// Files of text are stored gzipped (deterministically: no name, no time):
// GitHub Pages counts a site's stored bytes against its 1 GB, and the posts
// of society ×32 (≈490,000) are 441 MiB as text, 3 to 4 times less gzipped.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DEFAULT_POST_FOLDERS, isPostFile } from './archive-files';
import { MAX_POST_CHARS } from './post';
import { validRepo, validSiteConfig, type ArchiveRepo, type SiteConfig } from './site';
import { asVideoId, type VideoId } from './youtube';
import { readDoc, type PublishedDoc } from './published-search';

export const PUBLISHED_FORMAT = 'archivelens-index';
export const PUBLISHED_VERSION = 1;

/** Videos a shard holds on average, at most: what one visit hides among. */
export const VIDEOS_PER_SHARD = 48;

export interface PublishedManifest {
  format: typeof PUBLISHED_FORMAT;
  version: number;
  /** Changes whenever any file does: the hash of every file's name and bytes. */
  build: string;
  name: string;
  repo: ArchiveRepo | null;
  site: SiteConfig | null;
  posts: number;
  videos: number;
  /** How many leading bits of SHA-256(video id) name a lookup shard. */
  shardBits: number;
  /** The size of members.bin's filter, in bits. */
  memberBits: number;
  /** The size of mentions.bin's filter of videos that posts link or embed (their shards list those posts), in bits; 0: none. */
  mentionBits: number;
}

export interface PublishedPost {
  path: string;
  text: string;
}

/** lookup/<shard>.json: each video's posts, videos in code-point order, posts by path. */
export interface LookupShard {
  videos: Record<string, PublishedPost[]>;
  /** The posts that only link or embed each video, as docs files keep posts (core/published-search.ts docArray). */
  mentions?: Record<string, unknown[][]>;
}

/** The fewest bits that keep shards at VIDEOS_PER_SHARD videos or fewer on average (at least 1, at most 20). */
export function shardBitsFor(videos: number): number {
  let bits = 1;
  while (bits < 20 && videos / 2 ** bits > VIDEOS_PER_SHARD) bits++;
  return bits;
}

/** The shard of a video: its hash's leading `bits` bits, in hex digits (a partial last digit is the bits shifted left). */
export function shardOf(videoId: string, bits: number): string {
  const hash = sha256(new TextEncoder().encode(videoId));
  const digits = Math.ceil(bits / 4);
  let value = 0;
  for (let i = 0; i < digits; i++) value = value * 16 + ((hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf);
  const unused = digits * 4 - bits;
  value = Math.floor(value / 2 ** unused) * 2 ** unused;
  return value.toString(16).padStart(digits, '0');
}

/** A file's bytes as published: JSON with sorted keys where order is free, so the same posts give the same bytes. */
export function shardJson(shard: LookupShard): string {
  const videos = Object.keys(shard.videos).sort();
  const parts = videos.map((id) => `${JSON.stringify(id)}:${JSON.stringify([...shard.videos[id]!].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((p) => ({ path: p.path, text: p.text })))}`);
  const mentions = Object.keys(shard.mentions ?? {}).sort().map((id) => `${JSON.stringify(id)}:${JSON.stringify(shard.mentions![id])}`);
  return `{"videos":{${parts.join(',')}}${mentions.length ? `,"mentions":{${mentions.join(',')}}` : ''}}\n`;
}

/** The build id of a set of files: SHA-256 over their sorted names and bytes' hashes. */
export function buildOf(files: ReadonlyMap<string, Uint8Array>): string {
  const hash = sha256.create();
  for (const name of [...files.keys()].sort()) {
    hash.update(new TextEncoder().encode(`${name}\0`));
    hash.update(sha256(files.get(name)!));
  }
  return bytesToHex(hash.digest()).slice(0, 16);
}

export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

/** Most characters of a manifest's name. */
const MAX_NAME = 200;

/** A manifest as a host sent it: checked field by field, nothing taken on trust. */
export function readManifest(text: string): Read<PublishedManifest> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the manifest is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'the manifest is not an object' };
  const field = (key: string) => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  if (field('format') !== PUBLISHED_FORMAT) return { ok: false, message: 'this is not an ArchiveLens index (no "format": "archivelens-index")' };
  const version = field('version');
  if (version !== PUBLISHED_VERSION) return { ok: false, message: `the index is of format version ${String(version)}; this version of ArchiveLens reads version ${PUBLISHED_VERSION}` };
  const count = (key: string, max: number) => {
    const n = field(key);
    return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max ? n : null;
  };
  const build = field('build');
  const name = field('name');
  const posts = count('posts', 1e8);
  const videos = count('videos', 1e8);
  const shardBits = count('shardBits', 20);
  const memberBits = count('memberBits', 2 ** 32);
  const mentionBits = field('mentionBits') === undefined ? 0 : count('mentionBits', 2 ** 32);
  if (typeof build !== 'string' || !/^[0-9a-f]{16,64}$/.test(build)) return { ok: false, message: 'the manifest has no valid "build"' };
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) return { ok: false, message: 'the manifest has no valid "name"' };
  if (posts === null || videos === null || videos > posts) return { ok: false, message: 'the manifest\'s counts of posts and videos are not valid' };
  if (shardBits === null || shardBits < 1) return { ok: false, message: 'the manifest has no valid "shardBits"' };
  if (memberBits === null || memberBits % 8 !== 0 || memberBits < 1024) return { ok: false, message: 'the manifest has no valid "memberBits"' };
  if (mentionBits === null || mentionBits % 8 !== 0 || (mentionBits > 0 && mentionBits < 1024)) return { ok: false, message: 'the manifest has no valid "mentionBits"' };
  return {
    ok: true,
    value: {
      format: PUBLISHED_FORMAT, version: PUBLISHED_VERSION, build, name,
      repo: validRepo(field('repo')), site: validSiteConfig(field('site')),
      posts, videos, shardBits, memberBits, mentionBits,
    },
  };
}

/**
 * A lookup shard as a host sent it. Only videos that belong in this shard
 * are kept (a host cannot slip in posts for other videos through it), only
 * post files by their path's rules, and only texts a post may be.
 */
export function readShard(text: string, shard: string, bits: number): Read<{ videos: Map<VideoId, PublishedPost[]>; mentions: Map<VideoId, PublishedDoc[]> }> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: `lookup shard ${shard} is not JSON` };
  }
  const part = (key: string) => (typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  const videos = part('videos');
  if (typeof videos !== 'object' || videos === null || Array.isArray(videos)) return { ok: false, message: `lookup shard ${shard} has no videos` };
  const out = new Map<VideoId, PublishedPost[]>();
  for (const [id, posts] of Object.entries(videos)) {
    const video = asVideoId(id);
    if (!video || shardOf(video, bits) !== shard || !Array.isArray(posts)) continue;
    const kept = posts.filter((p): p is PublishedPost =>
      typeof p === 'object' && p !== null && typeof p.path === 'string' && typeof p.text === 'string'
      && isPostFile(p.path, DEFAULT_POST_FOLDERS) && p.text.length <= MAX_POST_CHARS,
    ).map((p) => ({ path: p.path, text: p.text }));
    if (kept.length) out.set(video, kept);
  }
  const mentions = new Map<VideoId, PublishedDoc[]>();
  const given = part('mentions');
  if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
    for (const [id, docs] of Object.entries(given)) {
      const video = asVideoId(id);
      if (!video || shardOf(video, bits) !== shard || !Array.isArray(docs)) continue;
      const kept = docs.slice(0, MAX_MENTIONS).map(readDoc).filter((d) => d.path && isPostFile(d.path, DEFAULT_POST_FOLDERS));
      if (kept.length) mentions.set(video, kept);
    }
  }
  return { ok: true, value: { videos: out, mentions } };
}

/** Most posts kept that mention one video (society's most mentioned has 213; ×8, 1,700). */
const MAX_MENTIONS = 100_000;

/** Where a site keeps its published index when the reader gives the site's address (docs/publish-index.yml writes it there). */
export const PUBLISHED_FOLDER = 'archivelens/';

/**
 * The addresses an index may be at, from what the reader typed: the index's
 * own folder, its manifest, or the site it is published on (then the
 * `archivelens/` folder in it). Each ends with `/`; null for no address.
 */
export function indexAddresses(input: string): string[] | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  url.hash = '';
  url.search = '';
  if (url.pathname.endsWith('/manifest.json')) url.pathname = url.pathname.slice(0, -'manifest.json'.length);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const given = url.href;
  return url.pathname.endsWith(`/${PUBLISHED_FOLDER}`) ? [given] : [given, new URL(PUBLISHED_FOLDER, given).href];
}

/** A shard's file, relative to the index's address. */
export const shardFile = (shard: string) => `lookup/${shard}.json.gz`;
