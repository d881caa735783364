// Each channel's boilerplate (core/boilerplate.ts), every era's, found from
// up to 600 of its posts spread over its whole history the first time a post
// of that channel is shown, and kept until the archive changes: one index
// query and one read of those posts once per channel, never per view. (Not at
// import: a sync would have to hold every post's text per channel until its
// end, against the memory a large sync may use.) Asked for after a lookup (shared/boilerplate.ts), so lookups never wait on it.
import { findBoilerplate, type Boilerplate } from '../core/boilerplate';
import { nameFilter } from '../core/name-filter';
import { spreadSample } from './search';
import type { ArchiveDb } from './schema';

const SAMPLE = 600;
const CHANNELS_KEPT = 200;

export class ChannelBoilerplate {
  private readonly found = new Map<string, Promise<Boilerplate>>();
  /** The answers already found, for readers that must not wait (search excerpts). */
  private readonly settled = new Map<string, Boilerplate>();
  private generation = 0;

  constructor(private readonly db: ArchiveDb) {}

  /** Forget everything: the archive changed. */
  clear(): void {
    this.found.clear();
    this.settled.clear();
    this.generation++;
  }

  /**
   * The channel's boilerplate if it has been found already (a post of that
   * channel was shown), else undefined. It starts nothing: finding the usual
   * text of a search's thirty channels reads up to 18,000 posts, and doing
   * that while the reader typed made searches at 122,000 posts three times
   * slower (p95 56 → 187 ms in Chromium).
   */
  known(channel: string): Boilerplate | undefined {
    return this.settled.get(channel);
  }

  get(channel: string): Promise<Boilerplate> {
    let found = this.found.get(channel);
    if (!found) {
      if (this.found.size >= CHANNELS_KEPT) this.found.delete(this.found.keys().next().value!);
      const generation = this.generation;
      found = this.find(channel).catch((): Boilerplate => ({ headers: [], footers: [] }));
      found.then((boilerplate) => {
        // Not an answer from before the archive changed.
        if (generation !== this.generation) return;
        if (this.settled.size >= CHANNELS_KEPT) this.settled.delete(this.settled.keys().next().value!);
        this.settled.set(channel, boilerplate);
      }, () => {});
      this.found.set(channel, found);
    }
    return found;
  }

  private async find(channel: string): Promise<Boilerplate> {
    const posts = await spreadSample(this.db, nameFilter('channel', channel), SAMPLE);
    return findBoilerplate(posts.filter((p) => p.channel === channel).map((p) => p.summary));
  }
}
