import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBufferTransfer } from '../../test/support/buffer-transfer';
import { freeBuffer } from './typed-arrays';

let restore: () => void;
beforeAll(() => (restore = withBufferTransfer()));
afterAll(() => restore());

describe('freeing a buffer early', () => {
  it('frees a buffer its view is the whole of, and every view of it reads empty after', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const part = bytes.subarray(1, 3);
    freeBuffer(bytes);
    expect(bytes.buffer.byteLength).toBe(0);
    expect(bytes.length).toBe(0);
    expect(part.length).toBe(0);
    // Twice, or a view of a freed buffer: nothing happens.
    expect(() => freeBuffer(bytes)).not.toThrow();
    expect(() => freeBuffer(part)).not.toThrow();
  });

  it('leaves alone a buffer the view is only part of, which others may be reading', () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]);
    freeBuffer(buffer.subarray(0, 3));
    freeBuffer(buffer.subarray(3));
    expect([...buffer]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => freeBuffer(new Uint8Array(0))).not.toThrow();
    expect(() => freeBuffer(null)).not.toThrow();
  });
});
