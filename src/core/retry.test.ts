import { describe, expect, it } from 'vitest';
import { MAX_TRIES, nextTry } from './retry';

describe('trying a failed sync again', () => {
  it('waits longer each time, then gives up', () => {
    const now = 1_000_000;
    const waits = Array.from({ length: MAX_TRIES }, (_, i) => nextTry(i + 1, now)).map((at) => (at === null ? null : (at - now) / 60_000));
    expect(waits).toEqual([1, 5, 30, 120, null]);
  });
});
