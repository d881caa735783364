// A fast, synchronous, non-cryptographic 64-bit hash (FNV-1a over UTF-16 code
// units, in two 32-bit lanes). Post ids only need to be stable and spread
// well across an archive of tens of thousands of posts; crypto.subtle would
// force the parser to be async for no benefit.
export function hash64(text: string): string {
  return hash64Joined([text], '');
}

/**
 * hash64 of `parts.join(separator)`, without making that string (a post's
 * id hashes its summary with three short fields: the join copied the summary).
 */
export function hash64Joined(parts: readonly string[], separator: string): string {
  const [h1, h2] = lanesJoined(parts, separator);
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** One 32-bit FNV-1a hash (hash tables of strings). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** hash32 of the string whose character codes are these bytes (each below 256), without making it. */
export function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** The two 32-bit lanes of hash64, as unsigned numbers (the membership set's two hashes). */
export function hashLanes(text: string): [number, number] {
  return lanesJoined([text], '');
}

/** The lanes of `parts.join(separator)`, from the parts. */
function lanesJoined(parts: readonly string[], separator: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    // The separator's codes before each part but the first, then the part's: the joined string's codes.
    for (let i = p > 0 ? -separator.length : 0; i < part.length; i++) {
      const c = i < 0 ? separator.charCodeAt(separator.length + i) : part.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
  }
  return [h1 >>> 0, h2 >>> 0];
}
