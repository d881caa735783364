import { describe, expect, it } from 'vitest';
import { countFiles, FileSet, filePacks, filesOf } from './files';
import { openArchive } from './schema';

const entry = (i: number, sha = `sha${i}`) => ({ path: `_posts/2025-01-${String(i).padStart(4, '0')}-標題.md`, sha, postId: `post${i}` });

describe('files in packs', () => {
  it('packs a sync batch by path, and an incremental change rewrites only the packs it touched', async () => {
    const db = openArchive('files-packs');
    await db.files.bulkPut(filePacks('s', 1, Array.from({ length: 1200 }, (_, i) => entry(i))));
    const before = await db.files.toArray();
    expect(before.map((p) => p.files.length)).toEqual([500, 500, 200]);

    const files = await FileSet.read(db, 's', 1);
    expect(files.delete(entry(3).path)).toEqual(entry(3));
    files.set(entry(1100, 'edited'));
    files.set({ path: '_posts/2026-11-29-new.md', sha: 'new', postId: 'post-new' });
    await files.write(db);

    const after = await filesOf(db, 's', 1);
    expect(after.size).toBe(1200);
    expect(after.has(entry(3).path)).toBe(false);
    expect(after.get(entry(1100).path)!.sha).toBe('edited');
    expect(after.get('_posts/2026-11-29-new.md')).toEqual({ path: '_posts/2026-11-29-new.md', sha: 'new', postId: 'post-new' });
    // The middle pack was not touched: it is the same row.
    const rows = await db.files.toArray();
    expect(rows.find((p) => p.key === before[1]!.key)).toEqual(before[1]);
    expect(await countFiles(db, 's')).toBe(1200);
    db.close();
  });

  it('heals a path saved in two packs (a file twice in a hand-made tar): the later copy stays, once', async () => {
    const db = openArchive('files-twice');
    await db.files.bulkPut([...filePacks('s', 1, [entry(1), entry(2, 'first')]), ...filePacks('s', 1, [entry(2, 'second'), entry(3)])]);
    expect(await countFiles(db, 's')).toBe(4);
    expect((await filesOf(db, 's', 1)).get(entry(2).path)!.sha).toBe('second');
    const files = await FileSet.read(db, 's', 1);
    await files.write(db);
    expect(await countFiles(db, 's')).toBe(3);
    expect((await filesOf(db, 's', 1)).get(entry(2).path)!.sha).toBe('second');
    db.close();
  });
});
