// The posts an index names for a query (db/search.ts), as parallel typed
// arrays: a query for one common character names nearly every post (480,000
// at society ×32), so nothing here is an object per post.
import { doubled } from '../core/typed-arrays';
import { bestWeight, FIELD } from '../core/search-index';
import { packAt, packKeyOf, type PackRunsRecord } from '../core/pack-runs';

/** An index's post ids by ordinal (a JoinedList, or an array). */
type IdList = { readonly length: number; at(ordinal: number): string | undefined };

interface Columns {
  from: Uint16Array;
  ordinal: Uint32Array;
  est: Float64Array;
  times: Float64Array;
  seq: Uint32Array;
  taken: Uint8Array;
  inText: Uint8Array;
}

const newColumns = (): Columns => ({
  from: new Uint16Array(1024), ordinal: new Uint32Array(1024), est: new Float64Array(1024), times: new Float64Array(1024),
  seq: new Uint32Array(1024), taken: new Uint8Array(1024), inText: new Uint8Array(1024),
});

/**
 * Posts the index names: which key, the best score the post can have
 * (scorePost's is the same or lower), and its time. Ranked by that score,
 * then newest, then the one named first (`seq`): an order with no ties, so a
 * page is the same however it is found.
 *
 * Bounded (`keep`), only the best `keep` are held, in slots a heap keeps
 * track of; `total` still counts every one named. A search reads one page of
 * 30–50 posts: keeping all 480,000 of a common character, to pick 31 of them
 * after, was most of the query's time at ×32. The library's list (`order`)
 * needs them all, unbounded.
 */
export class Candidates {
  /** Where each candidate's key comes from: an index's ids and ordinal, or a key as is. */
  private readonly sources: { prefix: string; ids: IdList; packs?: PackRunsRecord }[] = [];
  private from: Uint16Array;
  private ordinal: Uint32Array;
  private readonly loose = new Map<number, string>();
  private est: Float64Array;
  private times: Float64Array;
  private seq: Uint32Array;
  private taken: Uint8Array;
  /** 1 when the index cannot rule out a term in the post's text (its excerpt must be looked for). */
  private inText: Uint8Array;
  /** Slots in use. */
  private slots = 0;
  /** Candidates named, kept or not. */
  total = 0;
  /** Whether the index alone proves each candidate matches (the same for all: it depends on the query). */
  exact = true;
  /** Bounded: the slots as a heap, the worst kept at the top. */
  private readonly heap: Int32Array | null;

  /** The arrays of the last search, when it let them go (see release). */
  private static spare: Columns | null = null;

  constructor(readonly keep = Infinity) {
    const columns = Candidates.spare ?? newColumns();
    Candidates.spare = null;
    ({ from: this.from, ordinal: this.ordinal, est: this.est, times: this.times, seq: this.seq, taken: this.taken, inText: this.inText } = columns);
    this.heap = Number.isFinite(keep) ? new Int32Array(keep) : null;
  }

  /** Whether some candidates were let go: pages past the kept ones cannot be told. */
  get truncated(): boolean {
    return this.total > this.slots;
  }

  /**
   * Gives the arrays to the next search, once nothing reads this one: a
   * common character names 100,000s of posts, megabytes of arrays made,
   * filled and collected again on every keystroke otherwise.
   */
  release(): void {
    this.taken.fill(0, 0, this.slots);
    const { from, ordinal, est, times, seq, taken, inText } = this;
    if (!Candidates.spare || Candidates.spare.est.length < est.length) Candidates.spare = { from, ordinal, est, times, seq, taken, inText };
    this.slots = 0;
    this.total = 0;
  }

  /** Registers an index's ids (and which pack holds each post, if it knows); its candidates are pushed by ordinal. */
  source(prefix: string, ids: IdList, packs?: PackRunsRecord): number {
    return this.sources.push({ prefix, ids, ...(packs ? { packs } : {}) }) - 1;
  }

  key(i: number): string {
    const loose = this.loose.get(i);
    if (loose !== undefined) return loose;
    const source = this.sources[this.from[i]!]!;
    return source.prefix + source.ids.at(this.ordinal[i]!)!;
  }

  /** The key of the pack that should hold a candidate, when its index says (getPosts reads it by key). */
  pack(i: number): string | undefined {
    const n = this.packNumber(i);
    return Number.isNaN(n) ? undefined : packKeyOf(this.sources[this.from[i]!]!.prefix, n);
  }

  /** The number of that pack in its source's generation, NaN when its index does not say. */
  private packNumber(i: number): number {
    if (this.loose.has(i)) return NaN;
    const packs = this.sources[this.from[i]!]!.packs;
    return packs ? packAt(packs, this.ordinal[i]!) : NaN;
  }

  /** A candidate by its key (a post changed since its index was built, or from the time index). */
  pushKey(key: string, estimate: number, time: number): void {
    const slot = this.push(0, 0, estimate, time, true);
    if (slot >= 0) this.loose.set(slot, key);
  }

  /** Room for `more` candidates, made once (a common character names 100,000s of posts). */
  private reserve(more: number): void {
    const wanted = Math.min(this.slots + more, this.keep);
    if (wanted > this.est.length) this.grow(wanted);
  }

  private grow(atLeast = 0): void {
    this.est = doubled(this.est, atLeast);
    this.times = doubled(this.times, atLeast);
    this.seq = doubled(this.seq, atLeast);
    this.taken = doubled(this.taken, atLeast);
    this.inText = doubled(this.inText, atLeast);
    this.from = doubled(this.from, atLeast);
    this.ordinal = doubled(this.ordinal, atLeast);
  }

  /** Names a candidate; the slot it is kept in, or -1 when a bounded list has better ones. */
  push(source: number, ordinal: number, estimate: number, time: number, inText: boolean): number {
    const seq = this.total++;
    const heap = this.heap;
    let slot: number;
    const fresh = this.slots < this.keep;
    if (fresh) {
      if (this.slots === this.est.length) this.grow();
      slot = this.slots++;
    } else {
      // Named after every kept one, so behind any of the same score and time.
      slot = heap![0]!;
      if (estimate < this.est[slot]! || (estimate === this.est[slot] && time <= this.times[slot]!)) return -1;
      this.loose.delete(slot);
    }
    this.from[slot] = source;
    this.ordinal[slot] = ordinal;
    this.est[slot] = estimate;
    this.times[slot] = time;
    this.seq[slot] = seq;
    this.inText[slot] = inText ? 1 : 0;
    if (heap && fresh) {
      // A new slot, at the heap's end.
      heap[slot] = slot;
      this.siftUp(slot);
    } else if (heap) {
      this.siftDown(0);
    }
    return slot;
  }

  /** Whether slot a ranks after slot b: a lower score, or older, or on a tie named later. */
  private worse(a: number, b: number): boolean {
    const { est, times, seq } = this;
    return est[a]! < est[b]! || (est[a] === est[b] && (times[a]! < times[b]! || (times[a] === times[b] && seq[a]! > seq[b]!)));
  }

  private siftUp(k: number): void {
    const heap = this.heap!;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.worse(heap[k]!, heap[parent]!)) break;
      const swap = heap[k]!;
      heap[k] = heap[parent]!;
      heap[parent] = swap;
      k = parent;
    }
  }

  private siftDown(k: number): void {
    const heap = this.heap!;
    const size = this.slots;
    for (;;) {
      const left = 2 * k + 1;
      const right = left + 1;
      let top = k;
      if (left < size && this.worse(heap[left]!, heap[top]!)) top = left;
      if (right < size && this.worse(heap[right]!, heap[top]!)) top = right;
      if (top === k) return;
      const swap = heap[k]!;
      heap[k] = heap[top]!;
      heap[top] = swap;
      k = top;
    }
  }

  mayBeInText(i: number): boolean {
    return this.inText[i] === 1;
  }

  estimate(i: number): number {
    return this.est[i]!;
  }

  time(i: number): number {
    return this.times[i]!;
  }

  /** All of them, best first (the library's list; unbounded only). */
  order(): Uint32Array {
    if (this.truncated) throw new Error('a bounded list of candidates has no order of them all');
    const { est, times, seq } = this;
    const order = new Uint32Array(this.slots);
    for (let i = 0; i < order.length; i++) order[i] = i;
    // The order of `worse`, in one comparison per pair rather than two calls of it.
    return order.sort((a, b) => est[b]! - est[a]! || times[b]! - times[a]! || seq[a]! - seq[b]!);
  }

  /**
   * About `count` candidates (at most a pack's more) spread evenly over
   * all of them, in whole packs: every candidate of a pack taken is taken,
   * at evenly spaced packs, so the sample costs as few reads as it can (a
   * channel's posts of every era, for its usual text: db/search.ts
   * samplePicks). Spread over the posts' times instead, it read a pack for
   * nearly each of its 600 posts a channel (12,200 reads after a sync of
   * society ×8; about 7,100 so, as society's larger channels have 2 to 5
   * posts in a pack), and sorted a large channel's times first. Unbounded
   * only: its candidates are in each index's order, that of its packs (a
   * candidate with no pack known is a run of its own).
   */
  spreadInPacks(count: number): number[] {
    if (this.heap !== null) throw new Error('a bounded list of candidates has no spread of them all');
    const n = this.slots;
    if (n <= count) return Array.from({ length: n }, (_, i) => i);
    // Where each pack's run of candidates starts (a candidate with no pack known is a run of its own).
    const starts: number[] = [];
    let source = -1;
    let pack = NaN;
    for (let i = 0; i < n; i++) {
      const here = this.packNumber(i);
      if (this.from[i] !== source || here !== pack) starts.push(i);
      source = this.loose.has(i) ? -1 : this.from[i]!;
      pack = here;
    }
    starts.push(n);
    const runs = starts.length - 1;
    const wanted = Math.min(runs, Math.ceil((count * runs) / n));
    const picks: number[] = [];
    for (let k = 0; k < wanted && picks.length < count; k++) {
      const run = Math.floor((k * runs) / wanted);
      // A pack read is taken whole, even past `count` (by less than a pack's worth).
      for (let i = starts[run]!; i < starts[run + 1]!; i++) picks.push(i);
    }
    return picks;
  }

  /**
   * The best `n` kept and not yet taken, best first, and the best after
   * them, left untaken: whether it could still beat the page decides if
   * another page is read (usually not). One pass with a small heap, not a
   * sort of them all. A bounded list that runs out says so (`truncated`
   * with no `next`): what follows its kept candidates is not known.
   */
  take(n: number): { page: number[]; next: number | undefined } {
    const { taken } = this;
    const heap: number[] = []; // the worst of the kept at the top
    const size = n + 1;
    const worse = (a: number, b: number) => this.worse(a, b);
    for (let i = this.slots - 1; i >= 0; i--) {
      if (taken[i]) continue;
      if (heap.length < size) {
        let k = heap.push(i) - 1;
        while (k > 0) {
          const parent = (k - 1) >> 1;
          if (!worse(heap[k]!, heap[parent]!)) break;
          const swap = heap[k]!;
          heap[k] = heap[parent]!;
          heap[parent] = swap;
          k = parent;
        }
      } else if (worse(heap[0]!, i)) {
        heap[0] = i;
        for (let k = 0; ; ) {
          const left = 2 * k + 1;
          const right = left + 1;
          let top = k;
          if (left < size && worse(heap[left]!, heap[top]!)) top = left;
          if (right < size && worse(heap[right]!, heap[top]!)) top = right;
          if (top === k) break;
          const swap = heap[k]!;
          heap[k] = heap[top]!;
          heap[top] = swap;
          k = top;
        }
      }
    }
    const page = heap.sort((a, b) => (worse(b, a) ? -1 : worse(a, b) ? 1 : 0));
    const next = page.length > n ? page.pop() : undefined;
    for (const i of page) taken[i] = 1;
    return { page, next };
  }

  /**
   * Every post of an index's joined lists that the date range lets through
   * and `hidden` does not mark, with the best score its terms' fields allow
   * plus `unknown` (1 for all when there are no terms, only filters). One
   * loop over typed arrays: a common character names 100,000s of posts, and
   * bounded, most of them are only compared with the worst kept.
   */
  addList(source: number, joined: { ordinals: Uint32Array; fields: Uint8Array[] }, terms: number, postTimes: Float64Array, hidden: Uint8Array | null, from: number, to: number, unknown: number): void {
    const { ordinals, fields } = joined;
    this.reserve(ordinals.length);
    const bounded = this.heap !== null;
    const dated = from > -Infinity || to < Infinity;
    const only = terms === 1 ? fields[0]! : null;
    // Named but not kept, counted at the end: only their number matters (`seq` orders the kept).
    let dropped = 0;
    let full = bounded && this.slots === this.keep;
    let worstEst = full ? this.est[this.heap![0]!]! : 0;
    let worstTime = full ? this.times[this.heap![0]!]! : 0;
    for (let i = 0; i < ordinals.length; i++) {
      const ordinal = ordinals[i]!;
      if (hidden !== null && hidden[ordinal] === 1) continue;
      let time = 0;
      if (dated) {
        time = postTimes[ordinal]!;
        if (time < from || time >= to) continue;
      }
      let estimate = unknown;
      // A term whose grams are not all in the text is not in it (single Latin letters have no grams: they may be).
      let inText = unknown > 0;
      if (only !== null) {
        const bits = only[i]!;
        estimate += WEIGHT_OF[bits]!;
        if (bits & FIELD.text) inText = true;
      } else {
        for (let t = 0; t < terms; t++) {
          const bits = fields[t]![i]!;
          estimate += WEIGHT_OF[bits]!;
          if (bits & FIELD.text) inText = true;
        }
        if (terms === 0 && unknown === 0) estimate = 1;
      }
      // Full: most of a common character's posts stop here, at the worst kept, most without their time read.
      if (full && estimate < worstEst) {
        dropped++;
        continue;
      }
      if (!dated) time = postTimes[ordinal]!;
      if (full && estimate === worstEst && time <= worstTime) {
        dropped++;
        continue;
      }
      this.push(source, ordinal, estimate, time, inText);
      if (bounded && this.slots === this.keep) {
        full = true;
        worstEst = this.est[this.heap![0]!]!;
        worstTime = this.times[this.heap![0]!]!;
      }
    }
    this.total += dropped;
  }
}

/** bestWeight of every combination of field bits (they are four). */
const WEIGHT_OF = Float64Array.from({ length: 16 }, (_, bits) => bestWeight(bits));
