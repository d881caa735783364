// A small in-memory cache of lookups by video id. Concurrent lookups of the
// same video share one query; any change to the archive clears it.
import type { LookupResult } from '../shared/messages';

export class LookupCache {
  private entries = new Map<string, Promise<LookupResult>>();
  constructor(
    private readonly query: (videoId: string) => Promise<LookupResult>,
    private readonly capacity = 100,
  ) {}

  get(videoId: string): Promise<LookupResult> {
    const hit = this.entries.get(videoId);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so re-insert.
      this.entries.delete(videoId);
      this.entries.set(videoId, hit);
      return hit;
    }
    const pending = this.query(videoId);
    this.entries.set(videoId, pending);
    // A lookup that could not ask a followed source is not kept: the next one asks again.
    pending.then((result) => result.unreachable && this.entries.delete(videoId), () => this.entries.delete(videoId));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }
}
