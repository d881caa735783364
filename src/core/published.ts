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
//   lookup/<shard>.json      LookupShard: the posts of the videos whose hash starts so
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { ArchiveRepo, SiteConfig } from './site';

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
}

export interface PublishedPost {
  path: string;
  text: string;
}

/** lookup/<shard>.json: each video's posts, videos in code-point order, posts by path. */
export interface LookupShard {
  videos: Record<string, PublishedPost[]>;
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
  return `{"videos":{${parts.join(',')}}}\n`;
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
