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
