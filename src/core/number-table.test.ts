import { describe, expect, it } from 'vitest';
import { hash64 } from './hash';
import { NumberList, NumberTable, Places } from './number-table';
import { StringStore } from './string-store';

describe('tables in typed arrays', () => {
  it('maps bigram-sized numbers as a Map does, through growth and overwrites', () => {
    const table = new NumberTable();
    const map = new Map<number, number>();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 50_000; i++) {
      // Code points, and bigrams up to (0x10ffff + 1) × 0x110000 + 0x10ffff.
      const key = i % 3 === 0 ? next() % 0x110000 : (next() % 0x110001) * 0x110000 + (next() % 0x110000);
      table.set(key, i);
      map.set(key, i);
    }
    expect(table.size).toBe(map.size);
    for (const [key, value] of map) expect(table.get(key)).toBe(value);
    expect(table.get(0x10ffff * 0x110000 + 12345)).toBe(map.get(0x10ffff * 0x110000 + 12345) ?? -1);
    const seen = new Map<number, number>();
    table.forEach((value, key) => seen.set(key, value));
    expect(seen).toEqual(map);
  });

  it('finds each string at the place it was last put, and counts each string once', () => {
    const ids: string[] = [];
    const places = new Places((at) => ids[at]!);
    for (let i = 0; i < 5000; i++) {
      const id = `post-${i % 4000}`;
      const before = places.get(id);
      ids.push(id);
      places.set(id, ids.length - 1);
      if (before >= 0) ids[before] = '';
    }
    expect(places.size).toBe(4000);
    expect(places.get('post-10')).toBe(4010);
    expect(places.get('post-3999')).toBe(3999);
    expect(ids[10]).toBe('');
    expect(places.get('post-4000')).toBe(-1);
  });

  it('finds strings kept as bytes by comparing the bytes, as a Map finds them', () => {
    // Hex ids, ids with wide characters, ids of one length differing in one character, and ids added again.
    const idOf = (i: number) => (i % 7 === 0 ? `帖子-${i % 3000}` : i % 5 === 0 ? `${(i % 3000).toString(16).padStart(16, 'a')}` : `post-${i % 3000}`);
    const places = putAsAMap(20_000, idOf, false);
    expect(places.get('post-3000')).toBe(-1);
    expect(places.get('')).toBe(-1);
  });

  it('grows by the hashes a StringStore gives of its bytes, as by the strings', () => {
    const places = putAsAMap(50_000, (i) => (i % 3 === 0 ? hash64(`post ${i % 20_000}`) : `post-${i % 20_000}`), true);
    expect(places.get(hash64('post 20000'))).toBe(-1);
  });

  it('grows a list and gives back exactly what was pushed', () => {
    const list = new NumberList(new Float64Array(2));
    for (let i = 0; i < 1000; i++) list.push(i / 2);
    expect(list.length).toBe(1000);
    expect(list.at(999)).toBe(499.5);
    expect([...list.toArray()]).toEqual(Array.from({ length: 1000 }, (_, i) => i / 2));
  });
});

/**
 * Puts `count` ids in a StringStore and a Places of it, as a sync's index
 * does (an id put again clears its earlier place), checking each lookup and
 * then every id against a Map; `storeHashes`: the table grows by the store's
 * hashes of its bytes.
 */
function putAsAMap(count: number, idOf: (i: number) => string, storeHashes: boolean): Places {
  const ids = new StringStore();
  const places = new Places((at) => ids.at(at)!, (at, text) => ids.matches(at, text), storeHashes ? (at) => ids.hashAt(at) : undefined);
  const map = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const id = idOf(i);
    const before = places.get(id);
    expect(before).toBe(map.get(id) ?? -1);
    ids.push(id);
    places.set(id, ids.length - 1);
    map.set(id, ids.length - 1);
    if (before >= 0) ids.clear(before);
  }
  expect(places.size).toBe(map.size);
  for (const [id, place] of map) expect(places.get(id)).toBe(place);
  return places;
}
