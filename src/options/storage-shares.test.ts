// A source's figure on the options page is its share of what the browser says ArchiveLens takes.
import { describe, expect, it } from 'vitest';
import { storageShares } from './storage-shares';

// Society ×32 beside the built-in archive's two sources, as the end-to-end run stores them in
// Chromium: 742 MB of text (the index's count), 346 MiB in the browser's storage.
const sources = [
  { id: 'github:nodebe4/scale', storedBytes: 742_000_000 },
  { id: 'builtin:society', storedBytes: 400_000 },
  { id: 'builtin:teahouse', storedBytes: 200_000 },
  { id: 'followed:nodebe4/society', storedBytes: null },
];

describe("a source's share of the storage", () => {
  it('never adds up to more than ArchiveLens takes, each in proportion to its posts and index', () => {
    const used = 346 * 1024 ** 2;
    const shares = storageShares(sources, used);
    const sum = [...shares.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(used, 0);
    expect(shares.get('github:nodebe4/scale')).toBeLessThan(used);
    expect(shares.get('github:nodebe4/scale')! / shares.get('builtin:society')!).toBeCloseTo(742_000_000 / 400_000, 6);
    // A source with no figure gets none.
    expect(shares.has('followed:nodebe4/society')).toBe(false);
  });

  it('is the source’s own figure where the browser does not say', () => {
    expect(storageShares(sources, null).get('github:nodebe4/scale')).toBe(742_000_000);
    expect(storageShares([{ id: 'a', storedBytes: 0 }], 5_000).get('a')).toBe(0);
  });
});
