import { describe, expect, it } from 'vitest';
import { joinOrStart } from './single-flight';

describe('work asked for by several callers at once', () => {
  it('runs once for all who ask while it runs, and again for who asks after it settled, failed or not', async () => {
    const pending = new Map<string, Promise<number>>();
    let runs = 0;
    const work = (fail = false) => async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('failed');
      return runs;
    };
    const [a, b] = await Promise.all([joinOrStart(pending, 'k', work()), joinOrStart(pending, 'k', work())]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    expect(pending.size).toBe(0);
    await expect(joinOrStart(pending, 'k', work(true))).rejects.toThrow('failed');
    expect(await joinOrStart(pending, 'k', work())).toBe(3);
  });
});
