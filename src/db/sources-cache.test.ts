import { afterEach, describe, expect, it } from 'vitest';
import { openArchive, type ArchiveDb, type SourceRecord } from './schema';
import { forgetSources, sourcesById } from './sources-cache';

let counter = 0;
const opened: ArchiveDb[] = [];
function freshDb(name = `sources-cache-${++counter}`): ArchiveDb {
  const db = openArchive(name);
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

function source(id: string, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { id, kind: 'github', name: id, repo: null, site: null, postCount: 0, failureCount: 0, importedAt: 0, ...extra };
}

const names = async (db: ArchiveDb) => [...(await sourcesById(db)).values()].map((s) => `${s.name}:${s.postCount}`).sort();

describe('the sources kept in memory', () => {
  it('are read again after every write to them: a sync, an import, a removal', async () => {
    const db = freshDb();
    await db.sources.bulkPut([source('a'), source('b')]);
    expect(await names(db)).toEqual(['a:0', 'b:0']);
    await db.transaction('rw', db.sources, () => db.sources.update('a', { postCount: 5 }));
    expect(await names(db)).toEqual(['a:5', 'b:0']);
    await db.sources.delete('b');
    expect(await names(db)).toEqual(['a:5']);
    // A write to another table keeps them.
    const kept = await sourcesById(db);
    await db.jobs.clear();
    expect(await sourcesById(db)).toBe(kept);
  });

  it('see what another page of the extension wrote (another connection to the same archive)', async () => {
    const db = freshDb();
    await db.sources.put(source('a'));
    expect(await names(db)).toEqual(['a:0']);
    const page = freshDb(db.name);
    await page.sources.put(source('a', { postCount: 7 }));
    expect(await names(db)).toEqual(['a:7']);
  });

  it('do not keep a read that a reported write overtook', async () => {
    const db = freshDb();
    await db.sources.put(source('a'));
    const racing = sourcesById(db);
    // Another page's write, committed after the read began and reported (as its broadcast would be) before it ended.
    const write = db.backendDB().transaction('sources', 'readwrite');
    write.objectStore('sources').put(source('a', { postCount: 3 }));
    const written = new Promise((resolve) => (write.oncomplete = resolve));
    forgetSources(db);
    expect((await racing).get('a')?.postCount).toBe(0);
    await written;
    expect(await names(db)).toEqual(['a:3']);
  });

  it('are read again when the archive was deleted and opened again', async () => {
    const db = freshDb();
    await db.sources.put(source('a'));
    expect(await names(db)).toEqual(['a:0']);
    await db.delete();
    await db.open();
    expect(await names(db)).toEqual([]);
  });

  it('cannot be changed by whoever reads them', async () => {
    const db = freshDb();
    await db.sources.put(source('a'));
    const a = (await sourcesById(db)).get('a')!;
    expect(() => Object.assign(a, { postCount: 9 })).toThrow();
    expect(await names(db)).toEqual(['a:0']);
  });
});
