import { describe, expect, it } from 'vitest';
import { bytesToText, StringStore } from './string-store';
import { hash32, hash64 } from './hash';

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

  it('hashes and joins by place without making each string, as the strings themselves would be', () => {
    const texts = [...Array.from({ length: 2000 }, (_, i) => hash64(`post ${i}`)), '', 'é-latin1 ÿ', 'x'.repeat(9000)];
    const store = new StringStore();
    for (const text of texts) store.push(text);
    store.clear(7);
    const read = Array.from({ length: store.length }, (_, i) => store.at(i)!);
    expect(Array.from({ length: store.length }, (_, i) => store.hashAt(i))).toEqual(read.map((t) => (t === '' ? -1 : hash32(t))));
    const places = Int32Array.from([3, 7, 2000, 2001, 2002, 0, 1999]);
    expect(store.joinAt(places, '\n')).toBe(Array.from(places, (p) => read[p]).join('\n'));
    expect(store.joinAt(new Int32Array(0), '\n')).toBe('');
    expect(store.join(', ')).toBe(read.join(', '));
    expect(store.hashAt(-1)).toBe(-1);
    expect(store.hashAt(store.length)).toBe(-1);
  });

  it('keeps post ids, lowercase hex, in a byte for two digits, and other hex-like strings as they are', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => hash64(`post ${i}`));
    expect(ids.every((id) => /^[0-9a-f]{16}$/.test(id))).toBe(true);
    const store = new StringStore();
    for (const id of ids) store.push(id);
    expect(store.bytesUsed).toBe(8 * ids.length);
    // Upper case, an odd length, one letter past f, digits only: each read back, hashed, matched and joined as itself.
    const others = ['ABCDEF0123456789', 'abc', 'abcdefg1', '0123456789', 'ff', ''];
    for (const text of others) store.push(text);
    const texts = [...ids, ...others];
    store.clear(3);
    texts[3] = '';
    expect(Array.from({ length: store.length }, (_, i) => store.at(i))).toEqual(texts);
    expect(texts.every((text, i) => store.matches(i, text))).toBe(true);
    expect(store.matches(4, ids[5]!)).toBe(false);
    expect(store.matches(4, ids[4]!.toUpperCase())).toBe(false);
    expect(store.matches(4, ids[4]!.slice(0, 14))).toBe(false);
    expect(Array.from({ length: store.length }, (_, i) => store.hashAt(i))).toEqual(texts.map((t) => (t === '' ? -1 : hash32(t))));
    expect(store.join('\n')).toBe(texts.join('\n'));
    expect(store.joinAt(Int32Array.from([1000, 2, 1001, 3, 1005]), ',')).toBe([texts[1000], texts[2], texts[1001], '', ''].join(','));
  });

  it('joins a place holding a wide string as the strings are joined', () => {
    const store = new StringStore();
    for (const text of ['abc', '中文', 'def']) store.push(text);
    expect(store.joinAt(Int32Array.from([2, 1, 0]), '\n')).toBe('def\n中文\nabc');
    expect(store.hashAt(1)).toBe(hash32('中文'));
  });

  it('makes text of bytes below 256 as String.fromCharCode would, ASCII or not', () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7) % 256);
    expect(bytesToText(bytes)).toBe(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    const plain = Uint8Array.from({ length: 5000 }, (_, i) => 32 + (i % 90));
    expect(bytesToText(plain)).toBe(Array.from(plain, (b) => String.fromCharCode(b)).join(''));
    // Empty, and pieces that end where the input does (the text is made a few thousand codes at a time).
    expect(bytesToText(new Uint8Array(0))).toBe('');
    for (const length of [1, 4095, 4096, 4097, 8192, 12_289]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 7) % 256);
      expect(bytesToText(bytes)).toBe(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    }
  });
});
