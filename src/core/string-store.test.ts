import { describe, expect, it } from 'vitest';
import { StringStore } from './string-store';
import { hash64 } from './hash';

describe('strings kept as bytes', () => {
  it('reads back what was pushed, cleared strings empty, as an array of them would', () => {
    const texts = [...Array.from({ length: 3000 }, (_, i) => hash64(`post ${i}`)), '', 'é-latin1', '中文 id', 'x'.repeat(70_000), 'y'.repeat(500_000)];
    const store = new StringStore();
    const array: string[] = [];
    for (const text of texts) {
      store.push(text);
      array.push(text);
    }
    for (const place of [5, 3000, 3002, 2999]) {
      store.clear(place);
      array[place] = '';
    }
    expect(store.length).toBe(array.length);
    expect(Array.from({ length: store.length }, (_, i) => store.at(i))).toEqual(array);
    expect(Array.from({ length: store.length }, (_, i) => store.isEmpty(i))).toEqual(array.map((t) => t === ''));
    expect(store.join('\n')).toBe(array.join('\n'));
    expect(store.at(-1)).toBeUndefined();
    expect(store.at(store.length)).toBeUndefined();
  });
});
