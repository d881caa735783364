import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache';

describe("the library's loaded pages", () => {
  it('are only those around the screen, however far the reader scrolls', () => {
    const cache = new PageCache<number>(10);
    // Scrolling from the top through 6,000 pages (120,000 posts of 20), three pages on screen at a time.
    for (let first = 0; first < 6_000; first++) {
      for (let page = first; page < first + 3; page++) if (!cache.has(page)) cache.set(page, [page]);
      cache.keepNear(first, first + 2);
      expect(cache.size).toBeLessThanOrEqual(3 + 2 * 10);
    }
    expect(cache.get(5_999)).toEqual([5_999]);
    expect(cache.get(0)).toBeUndefined();
  });
});
