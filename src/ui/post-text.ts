// A post as plain text for sharing: title, date and channel, a link, the description.
import type { PostView } from '../shared/messages';
import { safeHref } from './safe-href';

export function postAsText(post: PostView): string {
  const link = safeHref(post.postUrl) ?? safeHref(post.sourceUrl) ?? (post.videoId ? `https://www.youtube.com/watch?v=${post.videoId}` : '');
  return [post.title, `${post.date.slice(0, 10)} · ${post.channel}`, link, '', post.summary.trim()].filter((line, i) => i === 3 || line).join('\n');
}
