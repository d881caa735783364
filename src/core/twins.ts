// Archives keep stale twins: the `_posts/` copy of a post that was also moved
// to `archived/`. Posts whose ids match say the same thing and become one,
// remembering every path; retitled or re-dated posts keep distinct ids and
// stay separate, forming the video's history.
import type { Post } from './post';

export interface StoredPost extends Post {
  /** Every path this post was found at, the preferred one first. */
  paths: string[];
}

/** `archived/` paths are where posts end up; `_posts/` copies go stale. */
export function preferredPath(paths: readonly string[]): string {
  return [...paths].sort(comparePaths)[0] ?? '';
}

function comparePaths(a: string, b: string): number {
  const rank = (p: string) => (p.startsWith('_posts/') || p.includes('/_posts/') ? 1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function mergeTwin(existing: StoredPost | undefined, post: Post): StoredPost {
  const paths = [...new Set([...(existing?.paths ?? []), post.path])].sort(comparePaths);
  const base = existing ?? post;
  return { ...base, path: paths[0]!, paths };
}

export function mergeTwins(posts: Iterable<Post>): StoredPost[] {
  const byId = new Map<string, StoredPost>();
  for (const post of posts) byId.set(post.id, mergeTwin(byId.get(post.id), post));
  return [...byId.values()];
}

/** Newest first; ties broken by title so the order is stable. */
export function newestFirst(a: Post, b: Post): number {
  return b.time - a.time || a.title.localeCompare(b.title);
}
