// A spread sample of candidates (a channel's posts of every era, for its
// usual text) taken in whole packs, evenly over the archive.
import { describe, expect, it } from 'vitest';
import { Candidates } from './search-candidates';
import { PackRunsBuilder } from '../core/pack-runs';

describe('Candidates.spreadInPacks', () => {
  /** `n` posts of a source, 16 a pack; the candidates are those `keep` says, in the index's order. */
  function inPacks(n: number, keep: (ordinal: number) => boolean, known = true): Candidates {
    const runs = new PackRunsBuilder();
    for (let i = 0; i < n; i++) runs.push(known ? Math.floor(i / 16) : NaN);
    const candidates = new Candidates();
    const source = candidates.source('s|1|', { length: n, at: (i) => `p${i}` }, runs.toRecord());
    for (let i = 0; i < n; i++) if (keep(i)) candidates.push(source, i, 1, i, false);
    return candidates;
  }
  const packOf = (candidates: Candidates, i: number) => candidates.pack(i)!;

  it('takes a channel of every era in whole packs: all of its posts in each pack read, packs spread over the whole archive', () => {
    // A large channel: about 5 of each 16 posts (as society's largest has), 40,000 posts in all.
    const candidates = inPacks(40_000, (i) => i % 16 < 5 || i % 97 === 0);
    const picks = candidates.spreadInPacks(600);
    // About as many as asked: whole packs may go past it by less than a pack's worth.
    expect(picks.length).toBeGreaterThan(570);
    expect(picks.length).toBeLessThan(600 + 16);
    const packs = new Set(picks.map((i) => packOf(candidates, i)));
    // Read one pack a post, the same sample took 600 packs.
    expect(packs.size).toBeLessThan(130);
    // Every candidate of a pack read is in the sample.
    const all = Array.from({ length: candidates.total }, (_, i) => i);
    for (const i of all) if (packs.has(packOf(candidates, i))) expect(picks).toContain(i);
    // From the archive's first posts to its last.
    const ordinals = picks.map((i) => Number(candidates.key(i).slice('s|1|p'.length)));
    expect(Math.min(...ordinals)).toBeLessThan(40_000 / 100);
    expect(Math.max(...ordinals)).toBeGreaterThan(40_000 * 0.98);
  });

  it('takes every candidate when there are no more than asked, and one a pack, evenly, when none shares one', () => {
    const few = inPacks(2_000, (i) => i % 4 === 0);
    expect(few.spreadInPacks(600)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const sparse = inPacks(200_000, (i) => i % 32 === 0);
    const picks = sparse.spreadInPacks(600);
    expect(picks).toEqual(Array.from({ length: 600 }, (_, k) => Math.floor((k * 6_250) / 600)));
    // Packs not known (an index from before): each candidate on its own, evenly placed.
    const unknown = inPacks(40_000, (i) => i % 16 < 5, false);
    expect(unknown.spreadInPacks(600)).toEqual(Array.from({ length: 600 }, (_, k) => Math.floor((k * 12_500) / 600)));
  });
});
