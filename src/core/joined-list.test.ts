import { describe, expect, it } from 'vitest';
import { JoinedList } from './joined-list';

describe('a list kept as its joined string', () => {
  it('reads each string as splitting at newlines would, an empty text as no string', () => {
    for (const text of ['a', 'a\nb', 'a\n\nb', '\n', 'a\n', '\nb', '的\n中國\nx1\n\n']) {
      const list = new JoinedList(text);
      const split = text.split('\n');
      expect(list.length, JSON.stringify(text)).toBe(split.length);
      expect(Array.from({ length: list.length }, (_, i) => list.at(i)), JSON.stringify(text)).toEqual(split);
      expect(Array.from({ length: list.length }, (_, i) => list.empty(i)), JSON.stringify(text)).toEqual(split.map((s) => s === ''));
      expect(list.at(-1)).toBeUndefined();
      expect(list.at(list.length)).toBeUndefined();
    }
    expect(new JoinedList('').length).toBe(0);
  });

  it('finds where a string is, as a map from each string to its last place', () => {
    const grams = Array.from({ length: 5000 }, (_, i) => `${String.fromCharCode(0x4e00 + (i % 3000))}${i}`);
    grams.push(grams[10]!);
    const list = new JoinedList(grams.join('\n'));
    const map = new Map(grams.map((g, k) => [g, k]));
    for (const g of [...grams, '的', 'absent', '']) expect(list.get(g), g).toBe(map.get(g));
  });
});
