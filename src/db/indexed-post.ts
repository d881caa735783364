// What a search index keeps of each saved post (db/search-index.ts
// GenerationIndex): its id, video, time, facets and about how much it takes,
// without its text. The sync engine's worker, which saves a full sync's
// posts (db/held-batch.ts), sends only this back.
import type { PostRecord } from './records';

export interface IndexedPost {
  id: string;
  videoIds: string[];
  time: number;
  channel: string;
  author: string;
  tags: string[];
  /** storedSize of the record. */
  size: number;
}

/**
 * About what a post takes in IndexedDB: its strings (two bytes a character:
 * archives are mostly Chinese, which browsers store as UTF-16) and some room
 * for the record's keys and indexes. An estimate for the options page, where
 * the browser can say only what all sources take together.
 */
export function storedSize(post: PostRecord): number {
  let chars = post.title.length + post.summary.length + post.bodyHtml.length + post.author.length + post.sourceUrl.length + post.key.length;
  for (const path of post.paths) chars += path.length;
  for (const tag of post.tags) chars += tag.length;
  return chars * 2 + 200;
}

export function indexedPost(post: PostRecord): IndexedPost {
  return { id: post.id, videoIds: post.videoIds, time: post.time, channel: post.channel, author: post.author, tags: post.tags, size: storedSize(post) };
}
