// A large index is written in segments as it is made and merged at the end
// (db/search-index.ts): on the society archive, the merged index must hold
// exactly the lists one builder makes of all its posts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { mergeLists, postingsIn } from '../core/search-index';
import { parsePost } from '../core/post';
import { toRecord } from './import';
import { openArchive, type ArchiveDb, type PostRecord } from './schema';
import { docsKey, GenerationIndex } from './search-index';

let records: PostRecord[];

beforeAll(() => {
  const root = extractedSociety();
  const merged = new Map<string, PostRecord>();
  for (const path of listFiles(root).filter((f) => f.endsWith('.md'))) {
    const result = parsePost(readFileSync(join(root, path), 'utf8'), path);
    if (result.ok) merged.set(result.post.id, toRecord('s', 1, result.post, merged.get(result.post.id)));
  }
  records = [...merged.values()];
});

/** Every gram of an index with its list, and the docs row. */
async function indexOf(db: ArchiveDb, build: number) {
  const lists = new Map<string, string>();
  for (const row of await db.searchBuckets.where('[sourceId+gen]').equals(['s', 1]).toArray()) {
    if (row.build !== build) continue;
    for (const gram of row.grams.split('\n')) lists.set(gram, Array.from(postingsIn(row, gram).ordinals).join(',') + '|' + Array.from(postingsIn(row, gram).fields).join(','));
  }
  return { lists, docs: (await db.searchDocs.get(docsKey('s', 1, build)))! };
}

describe('an index written in segments', () => {
  it('merges into the same lists as one builder makes, and leaves no segment behind', async () => {
    const db = openArchive('segments');
    const whole = new GenerationIndex(Infinity);
    const segmented = new GenerationIndex(3_000);
    for (const record of records) {
      whole.add(record);
      segmented.add(record);
      await segmented.spillIfLarge(db, 's', 1, 1);
    }
    const segmentRows = (await db.searchBuckets.toArray()).filter((r) => r.key.includes('|s'));
    expect(new Set(segmentRows.map((r) => r.key.split('|')[3])).size).toBeGreaterThanOrEqual(4);
    // A post indexed again (a twin merged later) keeps only its new ordinal, across segments too.
    whole.add(records[10]!);
    segmented.add(records[10]!);
    const a = await whole.write(db, 's', 1, 0);
    const b = await segmented.write(db, 's', 1, 1);
    expect(b).toEqual(a);
    const [one, many] = [await indexOf(db, 0), await indexOf(db, 1)];
    expect(many.lists.size).toBe(a.grams);
    expect(many.lists).toEqual(one.lists);
    expect(many.docs.ids).toBe(one.docs.ids);
    expect(many.docs.buckets).toBe(one.docs.buckets);
    expect((await db.searchBuckets.toArray()).filter((r) => r.key.includes('|s'))).toHaveLength(0);
    db.close();
  }, 60_000);

  it('says it is incomplete when a segment could not be saved, so the sync builds the index from the stored posts', async () => {
    const db = openArchive('segments-failing');
    const index = new GenerationIndex(3_000);
    const bulkPut = db.searchBuckets.bulkPut.bind(db.searchBuckets);
    db.searchBuckets.bulkPut = (() => Promise.reject(new DOMException('disk error', 'UnknownError'))) as unknown as typeof bulkPut;
    let failed: unknown = null;
    for (const record of records.slice(0, 4_000)) {
      index.add(record);
      failed ??= await index.spillIfLarge(db, 's', 1, 0).then(() => null, (e: unknown) => e);
    }
    db.searchBuckets.bulkPut = bulkPut;
    expect(failed).toBeInstanceOf(DOMException);
    expect(index.incomplete).toBe(true);
    db.close();
  });

  it('joins lists of consecutive segments by writing each later first gap again', () => {
    // Ordinals 0 (title) and 5 (text) in one part, 7 (tags) and 300 (title) in the next.
    const varint = (n: number) => { const out: number[] = []; while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); } out.push(n); return out; };
    const part1 = new Uint8Array([...varint(0 * 16 + 1), ...varint((5 - 0 - 1) * 16 + 8)]);
    const part2 = new Uint8Array([...varint(7 * 16 + 2), ...varint((300 - 7 - 1) * 16 + 1)]);
    const joined = mergeLists([part1, part2]);
    expect(Array.from(joined)).toEqual([...part1, ...varint((7 - 5 - 1) * 16 + 2), ...varint((300 - 7 - 1) * 16 + 1)]);
  });
});
