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

/** Paths in order of preference, the preferred one first. */
export function sortPaths(paths: readonly string[]): string[] {
  return [...paths].sort(comparePaths);
}

function comparePaths(a: string, b: string): number {
  const rank = (p: string) => (p.startsWith('_posts/') || p.includes('/_posts/') ? 1 : 0);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Twins say the same thing in the fields their id covers (video, title, date,
 * text); the rest (tags, author, the raw body) is taken from the copy at the
 * preferred path, `archived/` over a stale `_posts/` one. A new reading of the
 * preferred file (an edit) replaces what was stored for it.
 */
export function mergeTwin<T extends Post>(existing: (T & { paths: string[] }) | undefined, post: Post): StoredPost & Omit<T, keyof StoredPost> {
  // Without a Set: Firefox keeps every string a Set holds or is asked about as an atom until a
  // collection of every zone (core/text-keys.ts), and each post of a sync comes through here.
  const before = existing?.paths ?? [];
  const paths = (before.includes(post.path) ? [...before] : [...before, post.path]).sort(comparePaths);
  const base = !existing || paths[0] === post.path ? { ...existing, ...post } : existing;
  return { ...base, path: paths[0]!, paths } as StoredPost & Omit<T, keyof StoredPost>;
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
