import { describe, expect, it } from 'vitest';
import { PREFIX_SEED, prefixHash, PrefixTable } from './prefix-table';

const hashOf = (text: string, start: number, length: number) => {
  let hash = PREFIX_SEED;
  for (let k = 0; k < length; k++) hash = prefixHash(hash, text.charCodeAt(start + k));
  return hash;
};

describe("spaced words' prefixes", () => {
  it('find each prefix by a piece of any text, as a Map of the strings would, in the order they came', () => {
    const table = new PrefixTable();
    const map = new Map<string, number>();
    let seed = 3;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const letters = 'abcdefgh0123456789éßяω';
    for (let t = 0; t < 60_000; t++) {
      let text = '';
      for (let k = 2 + next(12); k > 0; k--) text += letters[next(t < 30_000 ? 4 : letters.length)];
      const start = next(text.length - 1);
      const length = Math.min(8, 2 + next(7), text.length - start);
      const prefix = text.slice(start, start + length);
      const hash = hashOf(text, start, length);
      const found = table.get(text, start, length, hash);
      expect(found).toBe(map.get(prefix) ?? -1);
      if (found < 0) {
        table.add(text, start, length, hash, map.size);
        map.set(prefix, map.size);
      }
    }
    expect(table.size).toBe(map.size);
    const listed: [string, number][] = [];
    table.forEach((list, prefix) => listed.push([prefix, list]));
    expect(listed).toEqual([...map]);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.get('ab', 0, 2, hashOf('ab', 0, 2))).toBe(-1);
  });

  it('tell apart prefixes whose hashes are the same', () => {
    const table = new PrefixTable();
    table.add('ab', 0, 2, 7, 1);
    table.add('cd', 0, 2, 7, 2);
    table.add('abc', 0, 3, 7, 3);
    expect([table.get('xab', 1, 2, 7), table.get('cd', 0, 2, 7), table.get('abc', 0, 3, 7), table.get('ce', 0, 2, 7)]).toEqual([1, 2, 3, -1]);
  });
});
