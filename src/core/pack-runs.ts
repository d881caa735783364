// Which pack holds each post of a search index, by the post's ordinal, so a
// search reads the packs of the posts it ranks by their own keys. Finding a
// pack through the posts' `keys` index instead is a request per post, and
// cold, after a large sync, it took ≈ 9 ms for a page of 30 posts in
// Chromium against ≈ 5 ms for their packs by key (society ×32,
// scripts/probe/pack-read.ts).
//
// Packs are numbered: a pack's key is its generation's prefix, `~`, and its
// number in base 36 (db/post-packs.ts). A sync writes posts into packs in the
// order it indexes them, sixteen or so to a pack, so the numbers are kept as
// runs: the first ordinal of each run and its pack (≈ 30,000 runs, under
// half a megabyte, at 490,000 posts).
import { NumberList } from './number-table';

/** A pack's number from its key, or NaN for a key not made so (the hint is then not used). */
export function packNumber(prefix: string, packKey: string): number {
  if (!packKey.startsWith(`${prefix}~`)) return NaN;
  const digits = packKey.slice(prefix.length + 1);
  if (!/^[0-9a-z]{1,10}$/.test(digits)) return NaN;
  const n = parseInt(digits, 36);
  return Number.isSafeInteger(n) ? n : NaN;
}

export const packKeyOf = (prefix: string, n: number) => `${prefix}~${n.toString(36)}`;

/** The runs as a docs row keeps them. */
export interface PackRunsRecord {
  /** The first ordinal of each run, ascending. */
  starts: Int32Array;
  /** Each run's pack number (NaN where the pack was not known). */
  packs: Float64Array;
}

/** Built one ordinal at a time, in ordinal order. */
export class PackRunsBuilder {
  private readonly starts = new NumberList(new Int32Array(256));
  private readonly packs = new NumberList(new Float64Array(256));
  private length = 0;

  /** The next ordinal's pack number (NaN: not known). */
  push(pack: number): void {
    const ordinal = this.length++;
    const last = this.packs.length - 1;
    if (last >= 0 && Object.is(this.packs.at(last), pack)) return;
    this.starts.push(ordinal);
    this.packs.push(pack);
  }

  /** The pack number of an ordinal pushed (NaN when not known), as packAt says of the record. */
  at(ordinal: number): number {
    if (ordinal >= this.length) return NaN;
    const run = runOf(this.starts.length, (i) => this.starts.at(i), ordinal);
    return run < 0 ? NaN : this.packs.at(run);
  }

  toRecord(): PackRunsRecord {
    return { starts: this.starts.toArray(), packs: this.packs.toArray() };
  }
}

/** The pack number of an ordinal (NaN when not known). */
export function packAt(runs: PackRunsRecord, ordinal: number): number {
  const run = runOf(runs.starts.length, (i) => runs.starts[i]!, ordinal);
  return run < 0 ? NaN : runs.packs[run]!;
}

/** The last of `count` runs starting at or before the ordinal (`startOf` gives each one's first ordinal), or -1. */
function runOf(count: number, startOf: (run: number) => number, ordinal: number): number {
  if (count === 0 || ordinal < startOf(0)) return -1;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (startOf(mid) <= ordinal) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
