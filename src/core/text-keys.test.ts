import { describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { TextMap, TextSet } from './text-keys';
import { hash32 } from './hash';

describe('TextMap', () => {
  it('answers as a Map does for every path of a real archive, in the order keys were first set', () => {
    // Every path of the society archive: mostly Chinese, as the archives' are.
    const paths = listFiles(extractedSociety());
    expect(paths.length).toBeGreaterThan(15_000);
    const map = new TextMap<number>();
    const reference = new Map<string, number>();
    paths.forEach((path, i) => {
      map.set(path, i);
      reference.set(path, i);
    });
    // Every other path deleted, every third set again.
    paths.forEach((path, i) => {
      if (i % 2 === 0) expect(map.delete(path)).toBe(reference.delete(path));
      if (i % 3 === 0) {
        map.set(path, -i);
        reference.set(path, -i);
      }
    });
    expect(map.size).toBe(reference.size);
    expect([...map]).toEqual([...reference]);
    for (const path of paths) expect(map.get(path)).toBe(reference.get(path));
    expect(map.has('_posts/not-there.md')).toBe(false);
    expect(map.delete('_posts/not-there.md')).toBe(false);
  });

  it('tells apart keys that share a hash', () => {
    // Two paths whose 30-bit hashes are the same (found by a search over short names).
    const pair = ['_posts/2ya8.md', '_posts/zki6.md'] as const;
    expect(hash32(pair[0]) & 0x3fffffff).toBe(hash32(pair[1]) & 0x3fffffff);
    const [first, second] = pair;
    const map = new TextMap<string>([
      [first, 'first'],
      [second, 'second'],
    ]);
    expect(map.get(first)).toBe('first');
    expect(map.get(second)).toBe('second');
    map.delete(first);
    expect(map.get(first)).toBeUndefined();
    expect(map.get(second)).toBe('second');
    expect([...map.keys()]).toEqual([second]);
  });
});

describe('TextMap filled and emptied as it goes', () => {
  it('keeps no slot of the keys it let go, and answers as a Map does throughout', () => {
    // As the shas a sync waits for: each post's path set, and deleted a batch later.
    const map = new TextMap<number>();
    const reference = new Map<string, number>();
    const path = (i: number) => `archived/2025-02-${i % 28}/第${i}篇.md`;
    for (let i = 0; i < 200_000; i++) {
      map.set(path(i), i);
      reference.set(path(i), i);
      if (i >= 500) expect(map.delete(path(i - 500))).toBe(reference.delete(path(i - 500)));
      if (i % 20_000 === 0) expect([...map]).toEqual([...reference]);
    }
    expect(map.size).toBe(500);
    expect([...map]).toEqual([...reference]);
    expect(map.get(path(199_999))).toBe(199_999);
    expect(map.get(path(0))).toBeUndefined();
    // Its slots: those of the keys it holds and at most as many let go (a Map's own table is not looked at).
    expect((map as unknown as { keyAt: unknown[] }).keyAt.length).toBeLessThanOrEqual(2 * 500 + 1024);
  });

  it('goes on through every entry when entries are deleted while it is walked, as a Map does', () => {
    const map = new TextMap<number>();
    const reference = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      map.set(`k${i}`, i);
      reference.set(`k${i}`, i);
    }
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [key] of map) {
      seen.push(key);
      map.delete(key);
    }
    for (const [key] of reference) {
      expected.push(key);
      reference.delete(key);
    }
    expect(seen).toEqual(expected);
    expect(map.size).toBe(0);
    // Packed once the walk is over.
    map.set('again', 1);
    map.delete('again');
    expect([...map]).toEqual([]);
  });
});

describe('TextSet', () => {
  it('holds each text once', () => {
    const set = new TextSet(['_posts/甲.md', '_posts/乙.md', '_posts/甲.md']);
    expect(set.size).toBe(2);
    expect(set.has('_posts/甲.md')).toBe(true);
    expect(set.has('_posts/丙.md')).toBe(false);
    expect(set.delete('_posts/甲.md')).toBe(true);
    expect([...set]).toEqual(['_posts/乙.md']);
  });
});
