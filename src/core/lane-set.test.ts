// The set of video ids by their hash lanes counts what a Set of the ids
// counts, and gives the membership filter that the ids themselves give.
import { describe, expect, it } from 'vitest';
import { LaneSet } from './lane-set';
import { Membership } from './membership';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `n` video ids (11 characters of YouTube's alphabet), a fixed pseudo-random sequence. */
function videoIds(n: number): string[] {
  let s = 42;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 26;
  return Array.from({ length: n }, () => Array.from({ length: 11 }, () => ALPHABET[next()]).join(''));
}

describe('LaneSet', () => {
  it('counts each id once, from its bytes or its text alike', () => {
    const ids = videoIds(5000);
    const bytes = new TextEncoder().encode(ids.join(''));
    const set = new LaneSet();
    // Every id from the bytes, half of them again as text, and a tenth again from the bytes.
    ids.forEach((_, i) => set.addBytes(bytes, i * 11, i * 11 + 11));
    ids.slice(0, 2500).forEach((id) => set.add(id));
    ids.forEach((_, i) => i % 10 === 0 && set.addBytes(bytes, i * 11, i * 11 + 11));
    expect(set.size).toBe(new Set(ids).size);
    expect(set.size).toBeGreaterThan(4990);
  });

  it('gives the membership filter of the ids themselves, bit for bit', () => {
    const ids = [...new Set(videoIds(3000))];
    const set = new LaneSet();
    for (const id of ids) set.add(id);
    expect(Membership.fromLanes(set).toData()).toEqual(Membership.build(ids, ids.length).toData());
    const filter = Membership.fromLanes(set);
    expect(ids.every((id) => filter.mayHold(id))).toBe(true);
    expect(videoIds(6000).slice(3000).filter((id) => !ids.includes(id) && filter.mayHold(id)).length).toBeLessThan(5);
  });
});
