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
}

export class MembershipCache {
  private current: Promise<Stored> | null = null;

  constructor(private readonly db: ArchiveDb) {}

  /** The set for the archive as it is now; `known` (a version the asker holds) gets `null` data if unchanged. */
  async get(known?: string): Promise<{ version: string; set: MembershipData | null }> {
    const version = await archiveVersion(this.db);
    let stored = this.current ? await this.current.catch(() => null) : null;
    if (stored?.version !== version) {
      this.current = this.load(version);
      stored = await this.current;
    }
    return { version, set: known === version ? null : { bits: stored.bits, data: stored.data } };
  }

  /** Builds ahead (after a sync or an import), so the next tab gets it at once. */
  prepare(): void {
    this.get().catch(() => {});
  }

  private async load(version: string): Promise<Stored> {
    const saved = (await browser.storage.local.get(STORAGE_KEY).catch(() => ({})) as Record<string, Stored | undefined>)[STORAGE_KEY];
    if (saved?.version === version && typeof saved.data === 'string') return saved;
    const built: Stored = { version, ...(await buildMembership(this.db)) };
    await browser.storage.local.set({ [STORAGE_KEY]: built }).catch(() => {});
    return built;
  }
}
