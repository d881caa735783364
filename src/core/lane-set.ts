// A set of video ids kept by the two 32-bit lanes of their hash (core/hash.ts,
// the lanes the membership filter sets its bits from), in an open-addressed
// table of typed arrays, filled from an index's bytes or from strings alike.
//
// Why not a Set of strings: at 490,000 videos (society ×32) making the ids'
// strings took 50–100 ms and filling the Set 250–300 ms, and the stats line's
// first count after a sync waited on both. Two ids of the same 64 bits would
// count once: about one chance in 10^8 at that size, for a count on screen.
import { hashLanes } from './hash';

export class LaneSet {
  private h1 = new Uint32Array(1024);
  private h2 = new Uint32Array(1024);
  private used = new Uint8Array(1024);
  size = 0;

  add(id: string): void {
    const [h1, h2] = hashLanes(id);
    this.addLanes(h1, h2);
  }

  /** The id written as bytes (Latin-1, as an index keeps video ids): the lanes of the same text. */
  addBytes(bytes: Uint8Array, from: number, to: number): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x050c5d1f;
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
    }
    this.addLanes(h1 >>> 0, h2 >>> 0);
  }

  /** Each id's lanes, once. */
  forEach(visit: (h1: number, h2: number) => void): void {
    for (let i = 0; i < this.used.length; i++) if (this.used[i]) visit(this.h1[i]!, this.h2[i]!);
  }

  private addLanes(h1: number, h2: number): void {
    if ((this.size + 1) * 2 > this.used.length) this.grow();
    const mask = this.used.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.used[i]) {
      if (this.h1[i] === h1 && this.h2[i] === h2) return;
      i = (i + 1) & mask;
    }
    this.used[i] = 1;
    this.h1[i] = h1;
    this.h2[i] = h2;
    this.size++;
  }

  private grow(): void {
    const { h1, h2, used } = this;
    this.h1 = new Uint32Array(used.length * 2);
    this.h2 = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.size = 0;
    for (let i = 0; i < used.length; i++) if (used[i]) this.addLanes(h1[i]!, h2[i]!);
  }
}
