// A spread sample of candidates (a channel's posts of every era) is the
// one the full order gives, however many share a time or a score.
import { describe, expect, it } from 'vitest';
import { Candidates } from './search-candidates';

/** A random source of the same numbers every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function filled(n: number, next: () => number, scores: number[], times: number): Candidates {
  const candidates = new Candidates();
  const ids = Array.from({ length: n }, (_, i) => `p${i}`);
  const source = candidates.source('s|0|', { length: n, at: (i) => ids[i] });
  for (let i = 0; i < n; i++) {
    // Few distinct times: many ties, broken by the one named first.
    const time = Date.UTC(2020, 0, 1) + Math.floor(next() * times) * 86_400_000;
    candidates.push(source, i, scores[Math.floor(next() * scores.length)]!, time, false);
  }
  return candidates;
}

describe('Candidates.spread', () => {
  it.each([
    ['one score (a filter), many equal times', [1], 50],
    ['one score, no equal times', [1], 1e9],
    ['several scores', [1, 2.5, 4], 30],
  ])('picks what the full order has at the same places: %s', (_name, scores, times) => {
    const next = random(7);
    for (const n of [0, 1, 5, 600, 601, 5_000]) {
      for (const count of [1, 3, 600]) {
        const candidates = filled(n, next, scores, times);
        const order = [...candidates.order()];
        const expected = n <= count ? order : Array.from({ length: count }, (_, i) => order[Math.floor((i * n) / count)]);
        expect(candidates.spread(count).map((i) => candidates.key(i)), `${n} in ${count}`).toEqual(expected.map((i) => candidates.key(i!)));
      }
    }
  });
});
