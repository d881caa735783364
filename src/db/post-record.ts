// A parsed post as the archive stores it, keyed by source and generation. Its
// own module, importing nothing of the database: the sync engine's worker
// makes records too (engine/saving.ts).
import type { Post } from '../core/post';
import { mergeTwin } from '../core/twins';
import type { PostRecord } from './records';

export const postKey = (sourceId: string, gen: number, id: string) => `${sourceId}|${gen}|${id}`;

export function toRecord(sourceId: string, gen: number, post: PostRecord | Post, existing?: PostRecord): PostRecord {
  const merged = mergeTwin(existing, post);
  return {
    ...merged,
    // Not stored: nothing reads a post's HTML after parsing (the summary is
    // its text), and keeping it doubled the bytes a sync writes.
    bodyHtml: '',
    key: postKey(sourceId, gen, post.id),
    sourceId,
    gen,
    videoIds: merged.videoId ? [merged.videoId] : [],
    mentionIds: merged.mentions,
  };
}
