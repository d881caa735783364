// A list of posts where the first (newest) starts open and each can be toggled.
import { useState } from 'preact/hooks';
import type { PostView } from '../shared/messages';
import { PostCard } from './PostCard';

export function PostList({ posts, firstOpen = true }: { posts: PostView[]; firstOpen?: boolean }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(firstOpen && posts[0] ? [posts[0].key] : []));
  const toggle = (key: string) => {
    const next = new Set(open);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setOpen(next);
  };
  return (
    <div class="al-post-list">
      {posts.map((post) => (
        <PostCard key={post.key} post={post} open={open.has(post.key)} onToggle={() => toggle(post.key)} />
      ))}
    </div>
  );
}
