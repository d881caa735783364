// Which videos the archive holds, as a Bloom filter small enough to hand to
// every YouTube tab (16 bits per video: ≈240 KB at 122,000 videos). A content
// script asks it about every thumbnail it sees and sends no message at all
// for a video it says is not archived; "maybe" is confirmed by one batched
// lookup, so its rare false positives (≈0.05 %) cost a lookup, never a wrong mark.

import { hashLanes } from './hash';
import type { LaneSet } from './lane-set';

const BITS_PER_KEY = 16;
const HASHES = 11;

export interface MembershipData {
  /** Size in bits (a multiple of 8). */
  bits: number;
  /** The bit array, base64: message channels carry strings in every browser. */
  data: string;
  /**
   * The filters of followed indexes (db/followed.ts), each of its own size:
   * filters of different sizes cannot be joined into one, so a video may be
   * archived when any of them says so.
   */
  more?: { bits: number; data: string }[];
}

function lanes(key: string): [number, number] {
  const [h1, h2] = hashLanes(key);
  // An odd step visits every bit position of the filter.
  return [h1, (h2 | 1) >>> 0];
}

export class Membership {
  private constructor(private readonly bytes: Uint8Array, private readonly bits: number) {}

  static build(keys: Iterable<string>, count: number): Membership {
    const set = Membership.sized(count);
    for (const key of keys) set.add(key);
    return set;
  }

  /** The filter of a set of ids kept by their lanes: the same as `build` of the ids. */
  static fromLanes(ids: LaneSet): Membership {
    const set = Membership.sized(ids.size);
    ids.forEach((h1, h2) => set.addLanes(h1, (h2 | 1) >>> 0));
    return set;
  }

  private static sized(count: number): Membership {
    const bits = Math.max(1024, Math.ceil((count * BITS_PER_KEY) / 8) * 8);
    return new Membership(new Uint8Array(bits / 8), bits);
  }

  static from(data: MembershipData): Membership {
    const binary = atob(data.data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (data.bits !== bytes.length * 8) throw new Error('membership data of the wrong size');
    return new Membership(bytes, data.bits);
  }

  /** A filter as published (members.bin): its bytes; null when they are not `bits` long. */
  static fromBytes(bytes: Uint8Array, bits: number): Membership | null {
    return bits >= 8 && bits % 8 === 0 && bytes.length * 8 === bits ? new Membership(bytes, bits) : null;
  }

  private add(key: string): void {
    const [h1, h2] = lanes(key);
    this.addLanes(h1, h2);
  }

  private addLanes(h1: number, h2: number): void {
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) % this.bits;
      this.bytes[bit >>> 3]! |= 1 << (bit & 7);
    }
  }

  /** False: certainly not archived. True: archived, or (rarely) a false positive. */
  mayHold(key: string): boolean {
    const [h1, h2] = lanes(key);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) % this.bits;
      if (!(this.bytes[bit >>> 3]! & (1 << (bit & 7)))) return false;
    }
    return true;
  }

  toData(): MembershipData {
    return { bits: this.bits, data: base64Of(this.bytes) };
  }
}

export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode with 240,000 arguments would overflow the stack. By
  // apply, not spread: a spread walks the bytes with an iterator, an object each.
  for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return btoa(binary);
}

/** The archive's filter and those of followed indexes, asked as one. */
export function membershipOf(data: MembershipData): { mayHold(key: string): boolean } {
  const sets = [Membership.from(data), ...(data.more ?? []).map((more) => Membership.from(more))];
  return { mayHold: (key) => sets.some((set) => set.mayHold(key)) };
}
