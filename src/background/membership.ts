// The membership set of archived ids, built once per archive change and kept
// in memory and in storage.local (a restarted service worker reads it back
// instead of reading the index again).
import browser from 'webextension-polyfill';
import type { MembershipData } from '../core/membership';
import { archiveVersion, buildMembership } from '../db/marks';
import type { ArchiveDb } from '../db/schema';

const STORAGE_KEY = 'membership';

interface Stored extends MembershipData {
  version: string;
  /** How many videos the set holds (the stats line shows it). */
  videos: number;
}

export class MembershipCache {
  private current: Promise<Stored> | null = null;

  constructor(private readonly db: ArchiveDb) {}

  /** The set for the archive as it is now; `known` (a version the asker holds) gets `null` data if unchanged. */
  async get(known?: string): Promise<{ version: string; set: MembershipData | null }> {
    const stored = await this.stored();
    return { version: stored.version, set: known === stored.version ? null : { bits: stored.bits, data: stored.data } };
  }

  /** How many videos the archive holds, counted by the same walk that builds the set. */
  async videos(): Promise<number> {
    return (await this.stored()).videos;
  }

  private async stored(): Promise<Stored> {
    const version = await archiveVersion(this.db);
    const stored = this.current ? await this.current.catch(() => null) : null;
    if (stored?.version === version) return stored;
    this.current = this.load(version);
    return this.current;
  }

  /** Builds ahead (after a sync or an import), so the next tab gets it at once. */
  prepare(): void {
    this.get().catch(() => {});
  }

  private async load(version: string): Promise<Stored> {
    const saved = (await browser.storage.local.get(STORAGE_KEY).catch(() => ({})) as Record<string, Stored | undefined>)[STORAGE_KEY];
    if (saved?.version === version && typeof saved.data === 'string' && typeof saved.videos === 'number') return saved;
    const built: Stored = { version, ...(await buildMembership(this.db)) };
    await browser.storage.local.set({ [STORAGE_KEY]: built }).catch(() => {});
    return built;
  }
}
