// What each source takes of the storage the browser says ArchiveLens uses.
//
// A source's own figure (storedBytes: its posts' text and its index, as the
// index counted them) is what they take uncompressed. Both browsers store
// them compressed: society ×32's 742 MB of text took 346 MiB in Chromium and
// 519 MiB in Firefox (navigator.storage.estimate, December 2026), so the page
// said one source took twice what all of ArchiveLens took, a line below. The
// browser measures only the whole, so each source is given its share of it,
// in proportion to those figures.
import { useEffect, useState } from 'preact/hooks';

/** Each source's share of `used` (the browser's estimate), or its own figure where the browser gave none. */
export function storageShares(sources: readonly { id: string; storedBytes: number | null }[], used: number | null): Map<string, number> {
  const shares = new Map<string, number>();
  const total = sources.reduce((n, s) => n + (s.storedBytes ?? 0), 0);
  for (const { id, storedBytes } of sources) {
    if (storedBytes === null) continue;
    shares.set(id, used !== null && used > 0 && total > 0 ? (used * storedBytes) / total : storedBytes);
  }
  return shares;
}

/** What ArchiveLens takes of this computer's storage, asked again whenever `version` changes (a sync, a removal); null where the browser does not say. */
export function useStorageUsed(version: unknown): number | null {
  const [used, setUsed] = useState<number | null>(null);
  useEffect(() => {
    void navigator.storage?.estimate?.().then((e) => setUsed(e.usage ?? null), () => setUsed(null));
  }, [version]);
  return used;
}
