// ArrayBuffer.prototype.transfer where Node lacks it (before Node 21), for
// the tests of what frees buffers early (core/typed-arrays.ts freeBuffer): the
// browsers have it. A structured clone with the buffer in its transfer list
// detaches it as the method does; what it frees is the collector's then.
type Transfer = (this: ArrayBuffer, length?: number) => ArrayBuffer;

/** Gives ArrayBuffer its `transfer` for the test's time; returns what takes it back (nothing where Node has its own). */
export function withBufferTransfer(): () => void {
  const proto = ArrayBuffer.prototype as ArrayBuffer & { transfer?: Transfer };
  if (typeof proto.transfer === 'function') return () => {};
  const transfer: Transfer = function (length) {
    const moved = structuredClone(this, { transfer: [this] });
    if (length === undefined || length === moved.byteLength) return moved;
    const out = new Uint8Array(length);
    out.set(new Uint8Array(moved, 0, Math.min(length, moved.byteLength)));
    return out.buffer;
  };
  Object.defineProperty(proto, 'transfer', { value: transfer, configurable: true, writable: true });
  return () => delete (proto as { transfer?: Transfer }).transfer;
}
