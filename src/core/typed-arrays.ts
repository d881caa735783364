// Growing typed arrays, for structures that hold one number per post or per
// gram (100,000s of them) without an object each.

type NumberArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** A copy of `array` twice as long (or `atLeast` long, if more), the new part zero. */
export function doubled<T extends NumberArray>(array: T, atLeast = 0): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, atLeast));
  bigger.set(array);
  return bigger;
}
