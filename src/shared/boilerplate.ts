// A lookup's posts with their channels' usual text marked for folding: asked
// for after the lookup is shown, so the panel never waits on it.
import { foldBoilerplate, type Boilerplate } from '../core/boilerplate';
import { ask } from './client';
import type { LookupResult, PostView } from './messages';

export function foldPosts(posts: PostView[], byChannel: Record<string, Boilerplate>): PostView[] {
  return posts.map((post) => {
    const boilerplate = byChannel[post.channel];
    if (!boilerplate || !post.summary) return post;
    // A description sent clipped has no real end here: only its opening is folded.
    const parts = foldBoilerplate(post.summary, post.summaryLength ? { headers: boilerplate.headers, footers: [] } : boilerplate);
    return parts.header || parts.footer ? { ...post, folded: { header: parts.header, footer: parts.footer } } : post;
  });
}

export async function withBoilerplate(result: LookupResult): Promise<LookupResult> {
  const channels = [...new Set([...result.archived, ...result.mentioned].map((p) => p.channel).filter(Boolean))].slice(0, 10);
  if (channels.length === 0) return result;
  const byChannel = await ask('boilerplate', { channels });
  return { ...result, archived: foldPosts(result.archived, byChannel), mentioned: foldPosts(result.mentioned, byChannel) };
}
