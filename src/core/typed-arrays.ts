// Growing typed arrays, for structures that hold one number per post or per
// gram (100,000s of them) without an object each; and freeing a buffer as
// soon as its one reader is done with it.

type NumberArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * A copy of `array` twice as long (or `atLeast` long, if more), the new part
 * zero. The old one is left to the collector. Moving its bytes instead
 * (ArrayBuffer.prototype.transfer, which frees it at once), with each index
 * segment's lists and tables freed as soon as its rows were stored, did not
 * lower a large sync's peak: society ×32, alternated with the build before,
 * Firefox 460 and 454 MiB against 461 and 438, Chromium 427 and 463 against
 * 448 and 409 (scripts/probe/firefox-memory.ts, sync-memory.ts; December 8,
 * 2026). The collectors there run when the heap's own allocations reach
 * their threshold, and other garbage fills what is freed early.
 */
export function doubled<T extends NumberArray>(array: T, atLeast = 0): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}

/** ArrayBuffer.prototype.transfer (ES2024: Firefox 122, Chromium 114, Node 21). */
type TransferableBuffer = ArrayBuffer & { transfer?(length?: number): ArrayBuffer };

/**
 * Frees the memory of `view`'s buffer now instead of at the collector's next
 * pass, when `view` is the whole buffer (one a stream made for it alone: a
 * view of part of a buffer may share it with other readers). Every view of
 * the buffer reads as empty afterwards, so only its one holder may call this,
 * once done with it. Where the platform cannot (Node before 21), nothing
 * happens and the collector frees it as before.
 */
export function freeBuffer(view: ArrayBufferView | null | undefined): void {
  if (!view) return;
  const buffer = view.buffer as TransferableBuffer;
  // A freed (detached) buffer has no bytes left: it is not freed twice.
  if (typeof buffer.transfer !== 'function' || view.byteOffset !== 0 || view.byteLength !== buffer.byteLength || buffer.byteLength === 0) return;
  buffer.transfer(0);
}
