// A post as plain text for sharing: title, date and channel, a link, the description.
import { ask } from '../shared/client';
import type { PostView } from '../shared/messages';
import { safeHref } from './safe-href';

export function postAsText(post: PostView): string {
  const link = safeHref(post.postUrl) ?? safeHref(post.sourceUrl) ?? (post.videoId ? `https://www.youtube.com/watch?v=${post.videoId}` : '');
  return [post.title, `${post.date.slice(0, 10)} · ${post.channel}`, link, '', post.summary.trim()].filter((line, i) => i === 3 || line).join('\n');
}

/** The post with its whole description: a post sent clipped has the rest read from the archive (for copying it whole). */
export async function wholePost(post: PostView): Promise<PostView> {
  if (!post.summaryLength) return post;
  let summary = post.summary;
  while (summary.length < post.summaryLength) {
    const { text } = await ask('postText', { key: post.key, from: summary.length, to: post.summaryLength });
    if (!text) break;
    summary += text;
  }
  return { ...post, summary };
}
