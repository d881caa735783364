// Which ordinals of a search index archive a video, from the index's video
// bytes (11 ASCII characters an ordinal, zeros for none): a hash table of
// ordinals in one typed array, built once per index in memory.
//
// Why: a lookup otherwise reads the video directory's row (db/post-directory.ts)
// and only then the pack it names, two round trips to the database one after
// the other. With the index's docs in memory (after a search or a sync) the
// table names the pack at once (core/pack-runs.ts), and the pack is read
// beside the index reads, in one. At 490,000 posts the table is 4 MiB
// (two slots a post, rounded up to a power of two), and no string is made
// for any video.

import { hash32 } from './hash';

const ID_LENGTH = 11;

/** hash32 of the id whose 11 ASCII bytes start at `at` (a lookup hashes the id's string with hash32 itself). */
function hashAt(bytes: Uint8Array, at: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < ID_LENGTH; k++) h = Math.imul(h ^ bytes[at + k]!, 0x01000193);
  return h >>> 0;
}

export class VideoOrdinals {
  private constructor(
    private readonly videos: Uint8Array,
    /** Ordinal + 1 in each used slot, 0 in a free one; linear probing. */
    private readonly slots: Int32Array,
  ) {}

  /** The table of `count` ordinals' videos (`videos` holds 11 bytes each). */
  static build(videos: Uint8Array, count: number): VideoOrdinals {
    const n = Math.min(count, Math.floor(videos.length / ID_LENGTH));
    let size = 1024;
    while (size < n * 2) size *= 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let ordinal = 0; ordinal < n; ordinal++) {
      const at = ordinal * ID_LENGTH;
      if (videos[at] === 0) continue;
      let slot = hashAt(videos, at) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = ordinal + 1;
    }
    return new VideoOrdinals(videos, slots);
  }

  /** The ordinals whose post archives this video, ascending (none for an id that is not 11 characters). */
  ordinalsOf(videoId: string): number[] {
    if (videoId.length !== ID_LENGTH) return [];
    const found: number[] = [];
    const mask = this.slots.length - 1;
    // Posts of one video sit in one cluster: the probe stops at the first free slot.
    for (let slot = hash32(videoId) & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const ordinal = this.slots[slot]! - 1;
      if (this.holds(ordinal * ID_LENGTH, videoId)) found.push(ordinal);
    }
    return found.sort((a, b) => a - b);
  }

  private holds(at: number, videoId: string): boolean {
    for (let k = 0; k < ID_LENGTH; k++) if (this.videos[at + k] !== videoId.charCodeAt(k)) return false;
    return true;
  }
}
