// The one bulk import path: the built-in archive, sync and tests all use it.
import { forgetCachedPacks, getPosts, putPosts } from './post-store';
import type { Collection, Table } from 'dexie';
import type { Post } from '../core/post';
import { postKey, toRecord } from './post-record';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import { ensureSearchIndex } from './search-index';

export const IMPORT_BATCH = 500;

export { postKey, toRecord } from './post-record';

/**
 * Saves posts of one source in batches, merging stale twins with what is
 * already stored. Each batch is one transaction.
 */
export async function importPosts(db: ArchiveDb, sourceId: string, posts: readonly Post[], gen = 0): Promise<number> {
  for (let i = 0; i < posts.length; i += IMPORT_BATCH) {
    const batch = posts.slice(i, i + IMPORT_BATCH);
    await db.transaction('rw', db.posts, async () => {
      const keys = [...new Set(batch.map((p) => postKey(sourceId, gen, p.id)))];
      const existing = new Map<string, PostRecord>();
      for (const record of await getPosts(db, keys)) if (record) existing.set(record.key, record);
      for (const post of batch) {
        const key = postKey(sourceId, gen, post.id);
        existing.set(key, toRecord(sourceId, gen, post, existing.get(key)));
      }
      await putPosts(db, [...existing.values()]);
    });
  }
  return db.posts.where('keys').between(`${sourceId}|`, `${sourceId}|\uffff`).count();
}

/** A source's rows of every generation, through the [sourceId+gen] index. */
export function ofSource<T extends { sourceId: string; gen: number }, I>(table: Table<T, string, I>, sourceId: string): Collection<T, string, I> {
  return table.where('[sourceId+gen]').between([sourceId, -Infinity], [sourceId, Infinity]);
}

/** Replaces a small source (the built-in sample): its record and all of its posts, in one transaction. */
export async function replaceSource(db: ArchiveDb, source: SourceRecord, posts: readonly Post[]): Promise<void> {
  forgetCachedPacks();
  await db.transaction('rw', [db.posts, db.sources, db.searchBuckets, db.searchDocs], async () => {
    await ofSource(db.posts, source.id).delete();
    await deleteIndexOf(db, source.id);
    const merged = new Map<string, PostRecord>();
    for (const post of posts) {
      const key = postKey(source.id, 0, post.id);
      merged.set(key, toRecord(source.id, 0, post, merged.get(key)));
    }
    await putPosts(db, [...merged.values()]);
    await db.sources.put({ ...source, gen: 0, postCount: merged.size, searchIndex: undefined });
  });
  await ensureSearchIndex(db, source.id);
}

/** Every search index row of a source, whatever its generation. */
async function deleteIndexOf(db: ArchiveDb, sourceId: string): Promise<void> {
  await ofSource(db.searchBuckets, sourceId).delete();
  await ofSource(db.searchDocs, sourceId).delete();
}

/** Removes a source with everything it brought: posts, file index, and any unfinished sync. */
export async function removeSource(db: ArchiveDb, sourceId: string): Promise<void> {
  forgetCachedPacks();
  await db.transaction('rw', [db.posts, db.sources, db.files, db.jobs, db.staged, db.stagedFiles, db.searchBuckets, db.searchDocs], async () => {
    await ofSource(db.posts, sourceId).delete();
    await deleteIndexOf(db, sourceId);
    await ofSource(db.files, sourceId).delete();
    for (const job of await db.jobs.where('sourceId').equals(sourceId).toArray()) {
      await db.staged.where('jobId').equals(job.id).delete();
      await db.stagedFiles.where('jobId').equals(job.id).delete();
      await db.jobs.delete(job.id);
    }
    await db.sources.delete(sourceId);
  });
}
