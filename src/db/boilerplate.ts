// Each channel's boilerplate (core/boilerplate.ts), found from its newest 200
// posts the first time a post of that channel is shown, and kept until the
// archive changes: one index query and 200 posts read once per channel, never
// per view.
import { findBoilerplate, foldBoilerplate, type Boilerplate } from '../core/boilerplate';
import type { PostView } from '../shared/messages';
import { searchPosts } from './search';
import type { ArchiveDb } from './schema';

const SAMPLE = 200;
const CHANNELS_KEPT = 200;

/** A channel filter as the search box reads it (quoted when the name has spaces). */
function channelFilter(name: string): string {
  const plain = name.replace(/["“”「」]/g, '');
  return /\s/.test(plain) ? `channel:"${plain}"` : `channel:${plain}`;
}

export class ChannelBoilerplate {
  private readonly found = new Map<string, Promise<Boilerplate>>();

  constructor(private readonly db: ArchiveDb) {}

  /** Forget everything: the archive changed. */
  clear(): void {
    this.found.clear();
  }

  get(channel: string): Promise<Boilerplate> {
    let found = this.found.get(channel);
    if (!found) {
      if (this.found.size >= CHANNELS_KEPT) this.found.delete(this.found.keys().next().value!);
      found = this.find(channel).catch(() => ({ header: '', footer: '' }));
      this.found.set(channel, found);
    }
    return found;
  }

  /** The posts with their channel's boilerplate marked for folding (new objects; the cached ones stay as they are). */
  async fold(posts: PostView[]): Promise<PostView[]> {
    return Promise.all(posts.map(async (post) => {
      if (!post.channel || !post.summary) return post;
      const parts = foldBoilerplate(post.summary, await this.get(post.channel));
      return parts.header || parts.footer ? { ...post, folded: { header: parts.header, footer: parts.footer } } : post;
    }));
  }

  private async find(channel: string): Promise<Boilerplate> {
    const { posts } = await searchPosts(this.db, channelFilter(channel), SAMPLE);
    return findBoilerplate(posts.filter((p) => p.channel === channel).map((p) => p.summary));
  }
}
