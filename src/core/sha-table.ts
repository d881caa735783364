// The git blob shas of a full sync's files by path, held for the whole sync
// in a few MiB. A Map of path strings to sha strings held 26 MiB at 122,000
// files (paths are mostly Chinese: two bytes a character) and kept the
// worker's heap, and with it the garbage collector's threshold, that much
// higher. Here a path is a 53-bit hash, sorted, beside its sha's 20 bytes.
// Two paths of one archive sharing a hash (about one chance in a million at
// that size) would give one of them the other's sha: the next sync would
// then fetch that one file again, nothing worse.
import { hashLanes } from './hash';
import { doubled } from './typed-arrays';

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
  static of(files: Iterable<{ path: string; sha: string }>): ShaTable {
    const builder = new ShaTableBuilder();
    for (const file of files) builder.add(file.path, file.sha);
    return builder.build();
  }

  /** Made by ShaTableBuilder: keys ascending, each key's sha at the same place. */
  static sorted(keys: Float64Array, shas: Uint8Array): ShaTable {
    return new ShaTable(keys, shas);
  }

  get size(): number {
    return this.keys.length;
  }

  /** Its arrays, to make the same table elsewhere (`ShaTable.sorted`): a worker that unpacks the download. */
  parts(): { keys: Float64Array; shas: Uint8Array } {
    return { keys: this.keys, shas: this.shas };
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

/**
 * A sha table filled a file at a time, as a listing streams: nothing of a
 * file but its path's hash and its sha's bytes is kept, so the listing of a
 * first sync leaves no strings behind to survive collections.
 */
export class ShaTableBuilder {
  private keys = new Float64Array(1024);
  private shas = new Uint8Array(1024 * 20);
  private count = 0;

  add(path: string, sha: string): void {
    if (!SHA.test(sha)) return;
    if (this.count === this.keys.length) {
      this.keys = doubled(this.keys);
      this.shas = doubled(this.shas);
    }
    this.keys[this.count] = keyOf(path);
    for (let b = 0; b < 20; b++) this.shas[this.count * 20 + b] = parseInt(sha.slice(b * 2, b * 2 + 2), 16);
    this.count++;
  }

  build(): ShaTable {
    const keys = this.keys;
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => keys[a]! - keys[b]!);
    const sorted = new Float64Array(this.count);
    const shas = new Uint8Array(this.count * 20);
    order.forEach((from, to) => {
      sorted[to] = keys[from]!;
      shas.set(this.shas.subarray(from * 20, from * 20 + 20), to * 20);
    });
    return ShaTable.sorted(sorted, shas);
  }
}
