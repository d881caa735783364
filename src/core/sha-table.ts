// The git blob shas of a full sync's files by path, held for the whole sync
// in a few MiB. A Map of path strings to sha strings held 26 MiB at 122,000
// files (paths are mostly Chinese: two bytes a character) and kept the
// worker's heap, and with it the garbage collector's threshold, that much
// higher. Here a path is a 53-bit hash, sorted, beside its sha's 20 bytes.
// Two paths of one archive sharing a hash (about one chance in a million at
// that size) would give one of them the other's sha: the next sync would
// then fetch that one file again, nothing worse.
import { hashLanes } from './hash';

const SHA = /^[0-9a-f]{40}$/;

function keyOf(path: string): number {
  const [h1, h2] = hashLanes(path);
  return h1 * 0x200000 + (h2 >>> 11);
}

export class ShaTable {
  private constructor(
    private readonly keys: Float64Array,
    private readonly shas: Uint8Array,
  ) {}

  /** The table of these files; a sha that is not 40 hex digits is left out (the file's content says it). */
  static of(files: readonly { path: string; sha: string }[]): ShaTable {
    const valid = files.filter((f) => SHA.test(f.sha));
    const keys = Float64Array.from(valid, (f) => keyOf(f.path));
    const order = Uint32Array.from(valid, (_, i) => i).sort((a, b) => keys[a]! - keys[b]!);
    const sorted = new Float64Array(valid.length);
    const shas = new Uint8Array(valid.length * 20);
    order.forEach((from, to) => {
      sorted[to] = keys[from]!;
      const sha = valid[from]!.sha;
      for (let b = 0; b < 20; b++) shas[to * 20 + b] = parseInt(sha.slice(b * 2, b * 2 + 2), 16);
    });
    return new ShaTable(sorted, shas);
  }

  get size(): number {
    return this.keys.length;
  }

  get(path: string): string | undefined {
    const key = keyOf(path);
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.keys[mid]!;
      if (at < key) lo = mid + 1;
      else if (at > key) hi = mid - 1;
      else {
        let hex = '';
        for (let b = mid * 20; b < mid * 20 + 20; b++) hex += this.shas[b]!.toString(16).padStart(2, '0');
        return hex;
      }
    }
    return undefined;
  }
}
