// Each channel's boilerplate (core/boilerplate.ts), every era's, found from
// up to 600 of its posts spread over its whole history. Found once per change
// of the archive, for every channel, by a pass the background runs after a
// sync, an import or a removal (and on starting, for what an interrupted pass
// left), a channel at a time and only while no reader is waiting on it; kept
// in IndexedDB across restarts. Search excerpts read what the pass found and
// never start finding anything themselves: doing that for a search's thirty
// channels while the reader typed made searches at 122,000 posts three times
// slower (Chromium p95 56 → 187 ms). A lookup of a channel the pass has not
// reached yet finds that one at once (asked for after the lookup is shown, so
// lookups never wait on it). Not at import: a sync would have to hold every
// post's text per channel until its end, against the memory a large sync may use.
import { findBoilerplate, type Boilerplate } from '../core/boilerplate';
import { nameFilter } from '../core/name-filter';
import { readSample, samplePicks, type SamplePicks } from './search';
import { docsKey, hasIndex, loadDocs } from './search-index';
import { versionOf } from './queries';
import { sourcesById } from './sources-cache';
import type { ArchiveDb, SourceRecord } from './schema';

const SAMPLE = 600;
/**
 * Posts the pass reads at a time, waiting for quiet between: a reader's query
 * that comes in meanwhile waits behind one chunk's reads, not a channel's 600
 * (at society ×32 the first searches as a sync ended reached 650 ms p95 in one
 * run before, 82–216 ms in three runs since).
 */
export const usualTextLimits = { readChunk: 48 };
/**
 * Where a channel's sample is read and its usual text found (usualTextOf):
 * in this thread, or (Firefox's background page: background/usual-text-host.ts)
 * in a worker of its own. A pass reads about twice as many packs as posts (a
 * channel's posts are spread among others'): at society ×8, 7,000 packs for
 * its 39 channels. Its text was thrown away at once, but Firefox's page let
 * it pile up to about 140 MiB of strings before collecting: the extension's
 * process went from 410–426 MiB during the sync to 477–485 after it.
 */
export const usualTextIn: { worker: ((dbName: string, channel: string, sample: SamplePicks) => Promise<Boilerplate>) | null } = { worker: null };

/** A channel asked of a worker (engine/usual-text-worker.ts). */
export interface UsualTextAsk {
  dbName: string;
  channel: string;
  sample: SamplePicks;
}

/** A channel's usual text, from its sample's posts (samplePicks); `between` as readSample's. */
export async function usualTextOf(db: ArchiveDb, channel: string, sample: SamplePicks, between?: { chunk: number; pause: () => Promise<void> }): Promise<Boilerplate> {
  const posts = await readSample(db, nameFilter('channel', channel), sample, between);
  return findBoilerplate(posts.filter((p) => p.channel === channel).map((p) => p.summary));
}

/** Lookups' answers being found at once (the pass keeps its own to itself). */
const PENDING_KEPT = 200;
/** Most channels the pass finds, the largest first, and the fewest posts it looks at: smaller ones are found when shown. */
export const PASS_CHANNELS = 2000;
export const PASS_MIN_POSTS = 10;
const NONE: Boilerplate = { headers: [], footers: [] };

/** Every channel of the indexed sources, the most posts first. */
async function channelsOf(db: ArchiveDb, sources: SourceRecord[]): Promise<string[]> {
  const current = new Set(sources.filter(hasIndex).map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
  const counts = new Map<string, number>();
  for (const source of sources) {
    const docs = hasIndex(source) ? await loadDocs(db, source.id, source.searchIndex, current) : null;
    for (const [name, n] of docs?.facets?.channels ?? []) if (name) counts.set(name, (counts.get(name) ?? 0) + n);
  }
  return [...counts].filter(([, n]) => n >= PASS_MIN_POSTS).sort((a, b) => b[1] - a[1]).slice(0, PASS_CHANNELS).map(([name]) => name);
}

export class ChannelBoilerplate {
  private readonly pending = new Map<string, Promise<Boilerplate>>();
  /** The answers found for this state of the archive, for readers that must not wait (search excerpts). */
  private readonly settled = new Map<string, Boilerplate>();
  private generation = 0;
  private loaded: Promise<void> | null = null;
  /** The state of the archive `settled` is of. */
  private loadedStamp: string | undefined;

  constructor(private readonly db: ArchiveDb) {}

  /** Forget everything: the archive changed. */
  clear(): void {
    this.pending.clear();
    this.settled.clear();
    this.loaded = null;
    this.loadedStamp = undefined;
    this.generation++;
  }

  /**
   * The channel's boilerplate if it has been found already, else undefined.
   * It starts nothing (see the top of this file).
   */
  known(channel: string): Boilerplate | undefined {
    return this.settled.get(channel);
  }

  get(channel: string): Promise<Boilerplate> {
    const settled = this.settled.get(channel);
    if (settled) return Promise.resolve(settled);
    let found = this.pending.get(channel);
    if (!found) {
      if (this.pending.size >= PENDING_KEPT) this.pending.delete(this.pending.keys().next().value!);
      found = this.load().then(() => this.settled.get(channel) ?? this.findAndKeep(channel));
      this.pending.set(channel, found);
    }
    return found;
  }

  /**
   * Finds every channel's usual text not found yet for this state of the
   * archive, largest channel first, waiting on `idle` before each (so a
   * reader's search or lookup never queues behind it), and drops what was
   * kept for earlier states. Stops when the archive changes.
   */
  async findAll(idle: () => Promise<void> = async () => {}): Promise<{ found: number; kept: number }> {
    // Before the archive's state is read: what the pass waits for (a merge) may change it.
    await idle();
    const sources = [...(await sourcesById(this.db)).values()];
    const stamp = versionOf(sources);
    // Changed without a word (an index built on starting): what was found is of another archive.
    if (this.loadedStamp !== undefined && this.loadedStamp !== stamp) this.clear();
    const generation = this.generation;
    await this.load();
    const channels = await channelsOf(this.db, sources);
    let found = 0;
    for (const channel of channels) {
      if (this.settled.has(channel)) continue;
      await idle();
      if (generation !== this.generation) return { found, kept: this.settled.size };
      await this.findAndKeep(channel, stamp, idle);
      found++;
    }
    if (generation === this.generation) await this.db.usualText.filter((row) => row.stamp !== stamp).delete();
    return { found, kept: this.settled.size };
  }

  /**
   * What earlier passes (or lookups) found for this state of the archive,
   * read once per start of the background (one small table), so that
   * `known` answers from the first search on.
   */
  load(): Promise<void> {
    this.loaded ??= (async () => {
      const generation = this.generation;
      const stamp = versionOf((await sourcesById(this.db)).values());
      const rows = await this.db.usualText.toArray();
      if (generation !== this.generation) return;
      this.loadedStamp = stamp;
      for (const row of rows) if (row.stamp === stamp) this.settled.set(row.channel, { headers: row.headers, footers: row.footers });
    })().catch(() => {});
    return this.loaded;
  }

  /** `idle`: the pass's wait for quiet, between chunks of the channel's reads (a lookup's own find does not wait). */
  private async findAndKeep(channel: string, knownStamp?: string, idle?: () => Promise<void>): Promise<Boilerplate> {
    const generation = this.generation;
    const stamp = knownStamp ?? versionOf((await sourcesById(this.db)).values());
    let boilerplate: Boilerplate;
    try {
      const sample = await samplePicks(this.db, nameFilter('channel', channel), SAMPLE);
      // A worker's reads are not in the way of this thread's readers: it reads them at once.
      boilerplate = usualTextIn.worker
        ? await usualTextIn.worker(this.db.name, channel, sample)
        : await usualTextOf(this.db, channel, sample, idle && { chunk: usualTextLimits.readChunk, pause: idle });
    } catch {
      return NONE;
    }
    // Not an answer from before the archive changed.
    if (generation !== this.generation) return boilerplate;
    this.settled.set(channel, boilerplate);
    await this.db.usualText.put({ channel, stamp, ...boilerplate }).catch(() => {
      // Not kept (the disk is full): found again after a restart.
    });
    return boilerplate;
  }
}
