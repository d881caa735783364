// An index written in segments (a large sync writes its posting lists as it
// goes, so they never all sit in memory) answers exactly as one written whole.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { openArchive, type ArchiveDb } from './schema';
import { searchPosts } from './search';
import { bucketKey, buildSearchIndex, docsKey, dropIndexRows, GenerationIndex, manySegments, newBuild } from './search-index';
import { societyRecords } from '../../test/support/stored-posts';
import type { SearchDocsRecord } from './records';
import { mergeLimits, mergeSearchSegments } from './search-merge';

const builtin = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/builtin/archive.json'), 'utf8')) as BuiltinArchive;
const QUERIES = ['罗宾', '羅賓', '美国', '"深度求索"', 'deepseek', 'dee', '中国 2024', '的', 'channel:老杨 ai', '习近平', '中共', '香港', '中国', '美国 中国'];

let db: ArchiveDb;
beforeAll(async () => {
  // The built-in archive makes a few segments; a sync's index is merged from MERGE_FROM.
  mergeLimits.from = 2;
  db = openArchive('search-segments');
  await importBuiltinArchive(db, builtin);
});

/** What each query finds: keys in order, and the total. */
async function answers(): Promise<string[]> {
  const out: string[] = [];
  for (const q of QUERIES) {
    const { posts, total } = await searchPosts(db, q, 200);
    out.push(`${q}: ${total} ${posts.map((p) => p.key).join(',')}`);
  }
  return out;
}

/** Rebuilds each source's index with segments of `segmentBytes` and points the source at it; returns the most segments an index has. */
async function rebuild(segmentBytes?: number): Promise<number> {
  let most = 0;
  for (const source of await db.sources.toArray()) {
    const gen = source.gen ?? 0;
    const build = newBuild();
    await buildSearchIndex(db, source.id, gen, build, () => {}, segmentBytes);
    const docs = await db.searchDocs.get(docsKey(source.id, gen, build));
    const { segments: _segments, ...index } = source.searchIndex!;
    await db.sources.update(source.id, { searchIndex: { ...index, gen, build, changed: [], ...manySegments(docs!.segments?.length ?? 1) } });
    await dropIndexRows(db, source.id, gen, build);
    most = Math.max(most, docs!.segments?.length ?? 1);
  }
  return most;
}

describe('a search index written in segments', () => {
  it('finds the same posts, in the same order, with the same totals as one written whole', async () => {
    expect(await db.sources.count()).toBe(2);
    expect(await rebuild()).toBe(1);
    const whole = await answers();
    expect(whole.filter((a) => !/: 0 $/.test(a)).length).toBe(QUERIES.length);
    // A segment at each read of the stored posts (a few hundred at a time): several for society.
    expect(await rebuild(32 << 10)).toBeGreaterThanOrEqual(3);
    expect(await answers()).toEqual(whole);
  });

  it('merged into one after the sync, answers as before and reads one row a gram', async () => {
    expect(await rebuild()).toBe(1);
    const whole = await answers();
    expect(await rebuild(24 << 10)).toBeGreaterThanOrEqual(3);
    // Steps of one bucket: a segment's row holds grams of several steps.
    mergeLimits.bytesPerStep = 1;
    try {
      await mergeAll();
    } finally {
      mergeLimits.bytesPerStep = 1 << 20;
    }
    expect(await answers()).toEqual(whole);
    // And in one step.
    expect(await rebuild(24 << 10)).toBeGreaterThanOrEqual(3);
    await mergeAll();
    expect(await answers()).toEqual(whole);
  });

  async function mergeAll() {
    for (const source of await db.sources.toArray()) {
      const before = source.searchIndex!;
      const merged = await mergeSearchSegments(db, source.id);
      expect(merged?.segments).toBeGreaterThanOrEqual(2);
      const after = (await db.sources.get(source.id))!.searchIndex!;
      expect(after.build).not.toBe(before.build);
      const docs = (await db.searchDocs.get(docsKey(source.id, after.gen, after.build)))!;
      expect(docs.segments).toBeUndefined();
      // The segments' rows are gone; only the merged build's are left.
      const builds = new Set((await db.searchBuckets.where('[sourceId+gen]').equals([source.id, after.gen]).toArray()).map((r) => r.build));
      expect([...builds]).toEqual([after.build]);
      // Nothing more to merge.
      expect(await mergeSearchSegments(db, source.id)).toBeNull();
    }
  }

  it('gives way to a sync that starts, and leaves the segmented index as it was', async () => {
    expect(await rebuild(24 << 10)).toBeGreaterThanOrEqual(3);
    const source = (await db.sources.toArray())[0]!;
    const before = (await db.sources.get(source.id))!.searchIndex!;
    let steps = 0;
    mergeLimits.bytesPerStep = 1;
    try {
      // Stopped after a few steps were written.
      await expect(mergeSearchSegments(db, source.id, (switched) => {
        if (!switched && ++steps > 3) throw new Error('a sync started');
      })).rejects.toThrow('a sync started');
    } finally {
      mergeLimits.bytesPerStep = 1 << 20;
    }
    expect((await db.sources.get(source.id))!.searchIndex).toEqual(before);
    const builds = new Set((await db.searchBuckets.where('[sourceId+gen]').equals([source.id, before.gen]).toArray()).map((r) => r.build));
    expect([...builds]).toEqual([before.build]);
  });

  it('waits between steps while the caller says readers are asking, and answers from the segments meanwhile', async () => {
    expect(await rebuild()).toBe(1);
    const whole = await answers();
    expect(await rebuild(24 << 10)).toBeGreaterThanOrEqual(3);
    const source = (await db.sources.toArray())[0]!;
    const before = (await db.sources.get(source.id))!.searchIndex!;
    // The first step's wait is held until a search has been answered from the segmented index.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const checks: boolean[] = [];
    mergeLimits.bytesPerStep = 1;
    try {
      const merging = mergeSearchSegments(db, source.id, (switched) => {
        checks.push(switched);
        return checks.length === 1 ? held : undefined;
      });
      expect(await answers()).toEqual(whole);
      expect((await db.sources.get(source.id))!.searchIndex).toEqual(before);
      release();
      expect((await merging)?.segments).toBeGreaterThanOrEqual(3);
    } finally {
      mergeLimits.bytesPerStep = 1 << 20;
    }
    expect(await answers()).toEqual(whole);
    // A check before each step, then before each deletion of the old rows, a few at a time.
    const steps = checks.filter((s) => !s).length;
    expect(steps).toBeGreaterThan(3);
    expect(checks.slice(steps).length).toBeGreaterThan(1);
    expect(checks.slice(steps).every(Boolean)).toBe(true);
  });

  it('keeps the list of posts it has just written, so the first query after a sync reads none back', async () => {
    expect(await rebuild(24 << 10)).toBeGreaterThanOrEqual(3);
    const reads = vi.spyOn(db.searchDocs, 'get');
    try {
      const first = await answers();
      expect(reads).not.toHaveBeenCalled();
      expect(first.filter((a) => !/: 0 $/.test(a)).length).toBe(QUERIES.length);
    } finally {
      reads.mockRestore();
    }
  });

  it('reads the merged index ahead, so the next query reads no list of posts itself', async () => {
    expect(await rebuild(24 << 10)).toBeGreaterThanOrEqual(3);
    await answers();
    for (const source of await db.sources.toArray()) expect((await mergeSearchSegments(db, source.id))?.segments).toBeGreaterThanOrEqual(2);
    const reads = vi.spyOn(db.searchDocs, 'get');
    try {
      await answers();
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });
});

describe('dropping the index rows of other builds', () => {
  it('deletes every other build of the generation, keeps the kept one, and touches no other generation or source', async () => {
    const here = openArchive('drop-index-rows');
    const bucket = (sourceId: string, gen: number, build: number, segment: number, b: number) => ({
      key: bucketKey(sourceId, gen, build, segment, b), sourceId, gen, build, bucket: b, grams: 'x', ends: new Uint32Array([1]), data: new Uint8Array([0]),
    });
    const docs = (sourceId: string, gen: number, build: number) => ({ key: docsKey(sourceId, gen, build), sourceId, gen, build, buckets: 2 }) as unknown as SearchDocsRecord;
    // Builds whose keys sort around the kept one's: 12 between `…|1` and `…|1|`, 10 and 2 elsewhere.
    const rows = [];
    const docRows = [];
    for (const [sourceId, gen] of [['github:a/b', 1], ['github:a/b', 10], ['github:a/bc', 1]] as const) {
      for (const build of [1, 2, 10, 12]) {
        docRows.push(docs(sourceId, gen, build));
        for (const segment of [0, 3]) for (const b of [0, 1]) rows.push(bucket(sourceId, gen, build, segment, b));
      }
    }
    await here.searchBuckets.bulkPut(rows);
    await here.searchDocs.bulkPut(docRows);
    const left = async () => [...(await here.searchBuckets.toCollection().primaryKeys()), ...(await here.searchDocs.toCollection().primaryKeys())].sort();
    const all = await left();
    const isGen = (k: string) => k.startsWith('github:a/b|1|');

    let waits = 0;
    await dropIndexRows(here, 'github:a/b', 1, 1, () => void waits++);
    expect(await left()).toEqual(all.filter((k) => !isGen(k) || k === 'github:a/b|1|1' || k.startsWith('github:a/b|1|1|')));
    expect(waits).toBeGreaterThan(0);
    // Without waits, and keeping none.
    await dropIndexRows(here, 'github:a/b', 1, null);
    expect(await left()).toEqual(all.filter((k) => !isGen(k)));
  });
});

describe("a sync's index while its worker falls behind", () => {
  it('waits for the worker before sending it more than one batch beyond what it is indexing', async () => {
    const posts = societyRecords('github:nodebe4/society', 1, 300);
    // A worker that answers each batch only when told to.
    const answers: (() => void)[] = [];
    const sent: number[] = [];
    const engine = {
      add: (items: unknown[]) => {
        sent.push(items.length);
        return new Promise((resolve) => answers.push(() => resolve({ bytes: 0, busyMs: 0 })));
      },
      close: () => {},
    };
    const index = new GenerationIndex({ sourceId: 'github:nodebe4/society', gen: 1, engine: engine as never });
    /** Whether a promise has settled once the database and the microtasks have had their turns. */
    const settledYet = async (promise: Promise<unknown>) => {
      let done = false;
      void promise.then(() => (done = true));
      for (let turn = 0; turn < 20; turn++) await new Promise((r) => setTimeout(r, 0));
      return done;
    };
    const batch = async (from: number) => {
      for (const post of posts.slice(from, from + 100)) index.add(post);
      index.drain();
      return index.saveSegment(db);
    };
    // The first batch goes to the worker, and reading goes on while it indexes.
    await batch(0);
    // The second is sent too, but the sync reads no further until the worker has answered the first.
    const second = batch(100);
    expect(await settledYet(second)).toBe(false);
    expect(sent).toEqual([100, 100]);
    answers[0]!();
    await second;
    answers[1]!();
    await batch(200);
    expect(sent).toEqual([100, 100, 100]);
  });
});
