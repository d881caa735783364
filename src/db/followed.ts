// Followed sources: published indexes (core/published.ts) the reader follows
// without downloading them. They live apart from `sources`, whose every reader
// expects posts, files and a search index in the database; a followed source
// has only its manifest, its membership filter and the lookup shards fetched
// so far, cached here and revalidated with the host at most once an hour.
import type { MembershipData } from '../core/membership';
import type { PublishedManifest, PublishedPost } from '../core/published';
import type { PublishedDoc } from '../core/published-search';
import type { UserMessage } from '../core/user-messages';

export interface FollowedRecord {
  /** `published:<index address>` */
  id: string;
  /** The index's address (its folder, ending with `/`). */
  url: string;
  manifest: PublishedManifest;
  manifestEtag?: string;
  members: MembershipData;
  membersEtag?: string;
  /** The filter of videos only linked or embedded (mentions.bin), when the index has one. */
  mentions?: MembershipData;
  mentionsEtag?: string;
  addedAt: number;
  /** When the host last confirmed the manifest (or sent a new one). */
  checkedAt: number;
  /** The last check that failed, until one succeeds: the options page shows it. */
  lastError?: { at: number; message: string; error?: UserMessage };
}

/** A file of a followed index, cached: a lookup shard (its videos), or a file of its search index (its bytes). */
export interface ShardRecord {
  /** `${sourceId}|${file}` */
  key: string;
  sourceId: string;
  /** The file's name in the index (`lookup/1a8.json.gz`). */
  shard: string;
  /** The manifest build it was fetched or confirmed under. */
  build: string;
  etag?: string;
  /** When the host last sent or confirmed it: asked again an hour later, and the least recently used go first. */
  checkedAt: number;
  /** Bytes of its posts' text, for the options page and the cache's bound. */
  bytes: number;
  videos: Record<string, PublishedPost[]>;
  /** A lookup shard's posts that only link or embed each video. */
  mentions?: Record<string, PublishedDoc[]>;
  /** A search file's content, unpacked. */
  body?: Uint8Array;
}

/** The bytes of a followed source's cached files, kept as they are stored and dropped. */
export interface FollowedBytesRecord {
  id: string;
  bytes: number;
}

export const shardKey = (sourceId: string, file: string) => `${sourceId}|${file}`;
