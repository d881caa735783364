// Counts that describe an archive: what the CLI prints and the options page shows.
import type { Post, PostError } from './post';

export interface ArchiveSummary {
  files: number;
  posts: number;
  /** Posts after stale twins are merged. */
  distinctPosts: number;
  videos: number;
  postsWithoutVideo: number;
  videosWithHistory: number;
  channels: { name: string; posts: number }[];
  failures: PostError[];
}

export function summarise(posts: Post[], failures: PostError[]): ArchiveSummary {
  const ids = new Set<string>();
  const byVideo = new Map<string, Set<string>>();
  const channels = new Map<string, number>();
  let withoutVideo = 0;
  for (const post of posts) {
    ids.add(post.id);
    if (post.videoId) {
      const set = byVideo.get(post.videoId) ?? new Set();
      set.add(post.id);
      byVideo.set(post.videoId, set);
    } else withoutVideo++;
    channels.set(post.channel, (channels.get(post.channel) ?? 0) + 1);
  }
  return {
    files: posts.length + failures.length,
    posts: posts.length,
    distinctPosts: ids.size,
    videos: byVideo.size,
    postsWithoutVideo: withoutVideo,
    videosWithHistory: [...byVideo.values()].filter((s) => s.size > 1).length,
    channels: [...channels].map(([name, n]) => ({ name, posts: n })).sort((a, b) => b.posts - a.posts || a.name.localeCompare(b.name)),
    failures,
  };
}
