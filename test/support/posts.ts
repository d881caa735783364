// PostView fixtures built from real posts through the real parser.
import { parsePost } from '../../src/core/post';
import type { PostView } from '../../src/shared/messages';

export function viewOf(text: string, path: string, extra: Partial<PostView> = {}): PostView {
  const r = parsePost(text, path);
  if (!r.ok) throw new Error(r.error.message);
  const p = r.post;
  return {
    key: `test|${p.id}`,
    title: p.title,
    date: p.date,
    channel: p.channel,
    author: p.author,
    tags: p.tags,
    summary: p.summary,
    videoId: p.videoId,
    sourceUrl: p.sourceUrl,
    postUrl: 'https://nodebe4.github.io/teahouse/2025-02-02/x/',
    fileUrl: 'https://github.com/NodeBE4/teahouse/blob/master/x.md',
    sourceName: 'NodeBE4/teahouse',
    builtin: false,
    ...extra,
  };
}
