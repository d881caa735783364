// A sync writes its index in segments (search-index.ts: 16 MiB of lists
// each, so its memory does not grow with the archive), and a query reads a
// row of every segment for each gram: 15 at society ×32, where a search's
// p95 was 80–100 ms. The segments of an index that has MERGE_FROM or more
// are merged into one, as a new build that queries switch to when it is
// whole: by the sync as it commits (mergeBeforeSwitch), or by the background
// for an index segmented before (mergeSearchSegments). A gram's lists are put
// end to end (core joinLists), a few buckets at a time (about a MiB of lists
// a step), so the merge holds little and readers wait for one step at most:
// the caller's `check` before each step can hold it while they ask. Steps
// are grouped in ranges of buckets, which Firefox's background page runs each
// in a worker of its own (background/merge-host.ts): its collector left what
// the merge read and wrote for seconds, 400 MiB at society ×32.
import Dexie from 'dexie';
import { bucketOf, joinLists, OWN_ROW_FROM } from '../core/search-index';
import { NumberList } from '../core/number-table';
import type { ArchiveDb } from './schema';
import { forgetSources } from './sources-cache';
import type { SearchBucketRecord, SearchDocsRecord, SegmentInfo } from './records';
import { bucketKey, docsKey, docsRow, dropBuildRows, dropIndexRows, hasIndex, newBuild, rememberDocs, warmSearch, type LoadedDocs } from './search-index';

/**
 * Segments an index must have to be merged. With 4 (society ×8) a search's
 * p95 was the same merged or not (24–34 ms in Chromium), while the merge
 * rewrote 38 MiB of rows and storage read 1.55× the posts until the
 * database compacted the old ones away (1.15–1.20× unmerged). With 13
 * (×32), it took search p95 from 71–81 ms to 48 ms.
 *
 * Firefox's worker writes segments half as large (search-index.ts
 * WORKER_SEGMENT_BYTES), so society ×8 has 8 there. Merged (from 8), its
 * sync spent 2.1–2.9 s of its commit on it and storage read 1.45× the posts;
 * left as they are (from 12), storage read 1.33× (the heavy archive 0.69×
 * against 0.76×), and searches were no slower: the first as the sync ended
 * p95 22 ms (21 and 30 merged, in two runs), in the background 9 ms (16)
 * (the end-to-end run's ×8 scenario, December 7, 2026). Chromium's ×8 has
 * 4; ×32 has 13 in Chromium and 31 in Firefox, and is merged.
 */
export const MERGE_FROM = 12;

/**
 * Bytes of posting lists a step reads, joins and writes (tests make it
 * small). Steps were 256 buckets: at society ×32 (15 segments of 512
 * buckets) that was two steps of about 120 MiB of lists and 5 s of the
 * background's thread each, in which no request was answered. A range is
 * what one merge worker does before it ends (19 at ×32's 150 MiB of lists),
 * and where a merge run in workers can be stopped. A worker's collector lets
 * what it read and wrote pile up until it ends: with ranges of 32 MiB,
 * Firefox's extension process peaked at 542 and 559 MiB in a ×32 sync's
 * commit; with 8 MiB, at 469 and 462, in as long.
 */
export const mergeLimits = { bytesPerStep: 1 << 20, bytesPerRange: 8 << 20, from: MERGE_FROM };

export interface MergeFigures {
  segments: number;
  rows: number;
  ms: number;
}

/**
 * Merges the segments of a source's index into one, if it has several. Call
 * it holding the source's lock. `check` runs before each step and each
 * deletion of the old rows: it may wait (for readers to be done), or throw
 * to stop (the rows written so far are dropped, and the source keeps its
 * segmented index). Once the merged index is switched to, only waits count.
 */
export async function mergeSearchSegments(db: ArchiveDb, sourceId: string, check: (switched: boolean) => void | Promise<void> = () => {}): Promise<MergeFigures | null> {
  const started = performance.now();
  const source = await db.sources.get(sourceId);
  if (!source || !hasIndex(source)) return null;
  const { gen, build } = source.searchIndex;
  // Deletions only wait: once begun, the old or unfinished rows must go.
  const wait = async () => {
    try {
      await check(true);
    } catch {
      // a stop asked for here is the caller's to act on after the deletion
    }
  };
  // Said by the source: its index's list of posts (megabytes at scale) is read only when there is something to merge.
  if ((source.searchIndex.segments ?? 1) < mergeLimits.from) {
    // The segments a sync merged as it committed (mergeBeforeSwitch), or what an interrupted merge left.
    await dropIndexRows(db, sourceId, gen, build, wait);
    return null;
  }
  const found = await docsRow(db, docsKey(sourceId, gen, build));
  const docs = found?.row;
  if (!docs?.segments || docs.segments.length < 2) return null;
  // What an interrupted merge left.
  await dropIndexRows(db, sourceId, gen, build, wait);
  const merged = newBuild();
  try {
    const result = await writeMerged(db, docs, merged, check, found?.loaded);
    const switched = await db.transaction('rw', db.sources, async () => {
      const now = await db.sources.get(sourceId);
      // A sync or a rebuild meanwhile brought another index: this one is not wanted.
      if (!now?.searchIndex || (now.gen ?? 0) !== gen || now.searchIndex.gen !== gen || now.searchIndex.build !== build) return false;
      const { segments: _segments, ...searchIndex } = now.searchIndex;
      await db.sources.put({ ...now, searchIndex: { ...searchIndex, build: merged } });
      return true;
    });
    // The merged index's list of posts is read now, before the old rows go: their
    // deletion takes seconds at ×32, and meanwhile the next query would read it itself.
    if (switched) {
      // The copy of the sources is dropped when the switch's 'complete' event reaches
      // source-writes.ts, which can be after this line: read them again now.
      forgetSources(db);
      await warmSearch(db).catch(() => {});
    }
    // The old rows go a few at a time, between readers' requests (megabytes each at scale).
    await dropIndexRows(db, sourceId, gen, switched ? merged : build, wait);
    return switched ? { segments: docs.segments.length, rows: result.rows, ms: performance.now() - started } : null;
  } catch (error) {
    await dropIndexRows(db, sourceId, gen, build, wait);
    throw error;
  }
}

/** Whether a sync's index of this many segments is merged as the sync commits (mergeBeforeSwitch). */
export function mergesAtCommit(segments: number): boolean {
  return segments >= Math.max(2, mergeLimits.from);
}

/**
 * Merges the segments of an index written but not yet switched to (a sync's,
 * as it commits; `docs` is its docs row, which need not be stored: the merged
 * build's replaces it) into a new build of one segment, and returns that
 * build; null when it has too few segments (mergesAtCommit). The caller
 * switches to it and leaves the segments' rows to be dropped later
 * (mergeSearchSegments drops every other build of the generation, between
 * readers). `check` runs before each step and may throw to stop: the merged
 * rows written so far are dropped.
 */
export async function mergeBeforeSwitch(db: ArchiveDb, docs: SearchDocsRecord, check: () => void): Promise<number | null> {
  if (!docs.segments || !mergesAtCommit(docs.segments.length)) return null;
  const merged = newBuild();
  try {
    await writeMerged(db, docs, merged, check);
  } catch (error) {
    await dropBuildRows(db, docs.sourceId, docs.gen, merged);
    throw error;
  }
  return merged;
}

async function writeMerged(db: ArchiveDb, docs: SearchDocsRecord, merged: number, check: (switched: boolean) => void | Promise<void>, loaded?: LoadedDocs): Promise<{ rows: number }> {
  const { sourceId, gen } = docs;
  const buckets = Math.max(...docs.segments!.map((s) => s.buckets));
  const lite: MergeInput = { sourceId, gen, build: docs.build, bytes: docs.bytes, segments: docs.segments! };
  const own: string[] = [];
  let rows = 0;
  let grams = 0;
  let bytes = 0;
  // A range of buckets at a time, each about mergeLimits.bytesPerRange of lists.
  const bucketsPerRange = Math.max(1, Math.floor((buckets * mergeLimits.bytesPerRange) / Math.max(1, docs.bytes)));
  for (let from = 0; from < buckets; from += bucketsPerRange) {
    await check(false);
    const range = { from, to: Math.min(buckets, from + bucketsPerRange), ownStart: own.length };
    const done = mergeRanges.worker ? await mergeRanges.worker(db.name, lite, merged, range) : await mergeRows(db, lite, merged, range, check);
    own.push(...done.own);
    rows += done.rows;
    grams += done.grams;
    bytes += done.bytes;
  }
  const { segments: _segments, ...rest } = docs;
  const row: SearchDocsRecord = { ...rest, key: docsKey(sourceId, gen, merged), build: merged, buckets, own: own.join('\n'), grams, bytes };
  await db.searchDocs.put(row);
  // Its posts are the segments' own: the merged index's first query reads none of them back.
  rememberDocs(db, row, loaded);
  return { rows };
}

/** What a merge reads of the docs row of the index it merges (a worker is sent no more). */
export type MergeInput = Pick<SearchDocsRecord, 'sourceId' | 'gen' | 'build' | 'bytes'> & { segments: SegmentInfo[] };

/** A range of merged buckets: `ownStart`, how many own rows the ranges before wrote. */
export interface MergeRange {
  from: number;
  to: number;
  ownStart: number;
}

export interface MergedRange {
  /** The grams given rows of their own, in order (rows buckets + ownStart + k). */
  own: string[];
  rows: number;
  grams: number;
  bytes: number;
}

/** A range asked of a merge worker (engine/merge-worker.ts; it answers as engine/own-worker.ts says). */
export interface MergeAsk {
  dbName: string;
  docs: MergeInput;
  merged: number;
  range: MergeRange;
  bytesPerStep: number;
}

/**
 * Where a merge runs its ranges: in this thread, or (`worker` set, Firefox's
 * background page) each in a worker of its own, ended after its range.
 */
export const mergeRanges: { worker: ((dbName: string, docs: MergeInput, merged: number, range: MergeRange) => Promise<MergedRange>) | null } = { worker: null };

/** Writes the merged rows of the buckets in `range` (a few buckets a step, see mergeLimits). */
export async function mergeRows(db: ArchiveDb, docs: MergeInput, merged: number, range: MergeRange, check: (switched: boolean) => void | Promise<void> = () => {}): Promise<MergedRange> {
  const { sourceId, gen, build, segments } = docs;
  // Row counts are powers of two, so a gram's row in a segment is its merged bucket's, modulo.
  const buckets = Math.max(...segments.map((s) => s.buckets));
  const bucketsPerStep = Math.max(1, Math.floor((buckets * mergeLimits.bytesPerStep) / Math.max(1, docs.bytes)));
  const ownOf = segments.map((s) => new Map((s.own ? s.own.split('\n') : []).map((gram, k) => [gram, k])));
  // Grams some segment gave a row of its own, by merged bucket (this range's).
  const ownByBucket = new Map<number, Set<string>>();
  for (const own of ownOf) {
    for (const gram of own.keys()) {
      const b = bucketOf(gram, buckets);
      if (b < range.from || b >= range.to) continue;
      const set = ownByBucket.get(b) ?? new Set<string>();
      set.add(gram);
      ownByBucket.set(b, set);
    }
  }
  const ownMerged: string[] = [];
  let rows = 0;
  let grams = 0;
  let bytes = 0;
  let saving: Promise<unknown> = Promise.resolve();
  // The rows of a step's buckets: each segment's bucket rows, and the own rows of their grams.
  const readStep = async (from: number, to: number) => {
    const keys = new Set<string>();
    segments.forEach((segment, s) => {
      for (let b = from; b < to; b++) keys.add(bucketKey(sourceId, gen, build, s, b % segment.buckets));
      for (let b = from; b < to; b++) {
        for (const gram of ownByBucket.get(b) ?? []) {
          const k = ownOf[s]!.get(gram);
          if (k !== undefined) keys.add(bucketKey(sourceId, gen, build, s, segment.buckets + k));
        }
      }
    });
    const keyList = [...keys];
    const read = await Dexie.ignoreTransaction(() => db.searchBuckets.bulkGet(keyList));
    return new Map(keyList.map((key, i) => [key, read[i]]));
  };
  // Rows are saved while the next are read and joined.
  const save = async (rows: SearchBucketRecord[]) => {
    await saving;
    saving = Dexie.ignoreTransaction(() => db.searchBuckets.bulkPut(rows));
    saving.catch(() => {}); // surfaced by the next save or the end
  };
  let reading: Promise<Map<string, SearchBucketRecord | undefined>> | null = null;
  try {
    for (let from = range.from; from < range.to; from += bucketsPerStep) {
      await check(false);
      const to = Math.min(range.to, from + bucketsPerStep);
      const byKey = await (reading ?? readStep(from, to));
      // The next step's rows are read while this one's lists are joined: small steps otherwise wait on each read.
      reading = to < range.to ? readStep(to, Math.min(range.to, to + bucketsPerStep)) : null;
      reading?.catch(() => {}); // surfaced by the next step
      const lists = new GramLists();
      const take = (row: SearchBucketRecord | undefined, wanted: (gram: string) => boolean) => {
        if (!row) return;
        const d = lists.rows.push(row.data) - 1;
        const grams = row.grams.split('\n');
        for (let k = 0; k < grams.length; k++) if (wanted(grams[k]!)) lists.add(grams[k]!, d, k === 0 ? 0 : row.ends[k - 1]!, row.ends[k]!);
      };
      segments.forEach((segment, s) => {
        const seen = new Set<number>();
        for (let b = from; b < to; b++) {
          const r = b % segment.buckets;
          if (seen.has(r)) continue;
          seen.add(r);
          // A smaller segment's row holds grams of several merged buckets: only this step's.
          take(byKey.get(bucketKey(sourceId, gen, build, s, r)), segment.buckets === buckets ? (gram) => !ownOf[s]!.has(gram) : (gram) => {
            const m = bucketOf(gram, buckets);
            return m >= from && m < to && !ownOf[s]!.has(gram);
          });
        }
        for (let b = from; b < to; b++) {
          for (const gram of ownByBucket.get(b) ?? []) {
            const k = ownOf[s]!.get(gram);
            if (k !== undefined) take(byKey.get(bucketKey(sourceId, gen, build, s, segment.buckets + k)), (g) => g === gram);
          }
        }
      });
      // The merged rows: grams in a stable order; long lists in rows of their own.
      const groups = new Map<number, { gram: string; list: Uint8Array }[]>();
      const out: SearchBucketRecord[] = [];
      // A step's grams with rows of their own can be megabytes of lists (的 at 490,000 posts):
      // they are saved a megabyte at a time, and readers get their turn between. A query waits
      // for a write of the rows it reads: one write of a whole step held a popup's first query
      // after a ×32 sync for 300 ms.
      let outBytes = 0;
      const parts = new Int32Array(3 * segments.length);
      for (const gram of lists.grams().sort()) {
        const list = joinLists(lists.rows, parts, lists.partsOf(gram, parts));
        grams++;
        bytes += list.length;
        if (list.length >= OWN_ROW_FROM) {
          out.push(rowOf(docs, merged, buckets + range.ownStart + ownMerged.length, [{ gram, list }]));
          ownMerged.push(gram);
          outBytes += list.length;
          if (outBytes >= mergeLimits.bytesPerStep) {
            rows += out.length;
            await save(out.splice(0));
            outBytes = 0;
            await check(false);
          }
          continue;
        }
        const b = bucketOf(gram, buckets);
        const group = groups.get(b) ?? [];
        group.push({ gram, list });
        groups.set(b, group);
      }
      for (const [b, group] of groups) out.push(rowOf(docs, merged, b, group));
      rows += out.length;
      // A step is saved while the next is read and joined.
      await save(out);
    }
  } finally {
    reading?.catch(() => {});
  }
  await saving;
  return { own: ownMerged, rows, grams, bytes };
}

function rowOf(docs: Pick<SearchDocsRecord, 'sourceId' | 'gen'>, build: number, bucket: number, group: { gram: string; list: Uint8Array }[]): SearchBucketRecord {
  const ends = new Uint32Array(group.length);
  let size = 0;
  group.forEach(({ list }, k) => {
    size += list.length;
    ends[k] = size;
  });
  const data = new Uint8Array(size);
  group.forEach(({ list }, k) => data.set(list, k === 0 ? 0 : ends[k - 1]!));
  return {
    key: bucketKey(docs.sourceId, docs.gen, build, 0, bucket), sourceId: docs.sourceId, gen: docs.gen, build,
    bucket, grams: group.map((g) => g.gram).join('\n'), ends, data,
  };
}

/**
 * The lists a merge step read, by gram, in the order they were added (the
 * segments'), kept as numbers in typed arrays: an array of them per gram
 * was a third of what a merge allocated after society ×32.
 */
class GramLists {
  /** The rows' lists the parts are in. */
  readonly rows: Uint8Array[] = [];
  /** Each gram's slot in `first` and `last`, its first and last part. */
  private readonly slots = new Map<string, number>();
  private readonly first = new NumberList(new Int32Array(1024));
  private readonly last = new NumberList(new Int32Array(1024));
  /** Four numbers a part: its row, start and end, and the gram's next part (-1: none). */
  private readonly parts = new NumberList(new Int32Array(4096));

  add(gram: string, row: number, start: number, end: number): void {
    const part = this.parts.length / 4;
    this.parts.push(row);
    this.parts.push(start);
    this.parts.push(end);
    this.parts.push(-1);
    const slot = this.slots.get(gram);
    if (slot === undefined) {
      this.slots.set(gram, this.first.length);
      this.first.push(part);
      this.last.push(part);
      return;
    }
    this.parts.set(this.last.at(slot) * 4 + 3, part);
    this.last.set(slot, part);
  }

  grams(): string[] {
    return [...this.slots.keys()];
  }

  /** Writes the gram's parts into `into`, three numbers each (its row, start and end); returns how many numbers. */
  partsOf(gram: string, into: Int32Array): number {
    let n = 0;
    for (let part = this.first.at(this.slots.get(gram)!); part !== -1; part = this.parts.at(part * 4 + 3)) {
      into[n++] = this.parts.at(part * 4);
      into[n++] = this.parts.at(part * 4 + 1);
      into[n++] = this.parts.at(part * 4 + 2);
    }
    return n;
  }
}
