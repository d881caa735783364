// Growing typed arrays, for structures that hold one number per post or per
// gram (100,000s of them) without an object each.

type NumberArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** A copy of `array` twice as long, the new half zero. */
export function doubled<T extends NumberArray>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
