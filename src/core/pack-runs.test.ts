import { describe, expect, it } from 'vitest';
import { packAt, packKeyOf, packNumber, PackRunsBuilder } from './pack-runs';

const PREFIX = 'github:nodebe4/society|3|';

describe('which pack holds each post of an index', () => {
  it('keeps a run per pack, and gives each ordinal its pack, known or not', () => {
    const runs = new PackRunsBuilder();
    // Sixteen posts to a pack, then a twin written again into an earlier pack, then posts of no known pack.
    const packs = [...Array(16).fill(101), ...Array(16).fill(102), 101, ...Array(5).fill(103), NaN, NaN, 104];
    for (const pack of packs) runs.push(pack);
    const record = runs.toRecord();
    expect([...record.starts]).toEqual([0, 16, 32, 33, 38, 40]);
    packs.forEach((pack, ordinal) => expect(packAt(record, ordinal)).toBe(pack));
    expect(packAt(new PackRunsBuilder().toRecord(), 0)).toBeNaN();
  });

  it('reads a pack number back from the key it makes, and no other', () => {
    const n = Date.now() * 1000;
    expect(packNumber(PREFIX, packKeyOf(PREFIX, n))).toBe(n);
    expect(packNumber(PREFIX, packKeyOf('github:nodebe4/society|4|', n))).toBeNaN();
    expect(packNumber(PREFIX, `${PREFIX}a-post-id`)).toBeNaN();
    expect(packNumber(PREFIX, `${PREFIX}~`)).toBeNaN();
    expect(packNumber(PREFIX, `${PREFIX}~zzzzzzzzzzzz`)).toBeNaN();
    expect(packNumber(PREFIX, `${PREFIX}~1.5`)).toBeNaN();
  });
});
