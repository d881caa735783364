// Posts a source removed. A reader keeps an archive so that what was saved
// stays saved: when a sync finds a post gone from its source (every file of
// it deleted, or moved out of the synced folders), the post stays in the
// reader's archive, marked with when that sync found it gone and the last
// commit known to hold it. A full re-sync (a new generation) carries such
// posts over from the generation before. A post that comes back is an
// ordinary post again.
//
// Per source, a reader may mirror removals instead. Even then, a sync that
// finds more than a fifth of a source's posts gone (a folder renamed by
// mistake, a takedown, a broken branch) keeps them, marked, and says so on
// the options page until the reader confirms; the reader can also purge a
// source's removed posts at any time (with the count first).
//
// Found through the packs' index of removed posts' keys (db/post-store.ts),
// which holds only marked posts: nothing here reads a whole generation.
import { countRemovedPosts, deletePosts, getPosts, putPosts, removedKeys } from './post-store';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import { postKey } from './import';
import { hasIndex, REBUILD_AFTER, ensureSearchIndex } from './search-index';

/** A sync that would remove more than this share of a source's posts waits for the reader, even when mirroring. */
export const HOLD_SHARE = 1 / 5;
const CHUNK = 1000;

/** The keys of a generation's removed posts, through the index that holds only them. */
export function removedOf(db: ArchiveDb, sourceId: string, gen: number): Promise<string[]> {
  return removedKeys(db, sourceId, gen);
}

export function countRemoved(db: ArchiveDb, sourceId: string, gen: number): Promise<number> {
  return countRemovedPosts(db, sourceId, gen);
}

/** The post, marked as found gone by a sync at `at`; a post marked before keeps its first date. */
export function markRemoved(post: PostRecord, at: number, lastCommit: string | undefined): PostRecord {
  if (post.removedAt !== undefined) return post;
  return { ...post, removedAt: at, ...(lastCommit ? { removedIn: lastCommit } : {}) };
}

/** Whether removals of `count` posts, out of a source's `before` posts the source still had, are to be held for the reader. */
export function mustHold(source: SourceRecord, count: number, before: number): boolean {
  return source.mirrorRemovals === true && count > 0 && count > before * HOLD_SHARE;
}

/**
 * A full sync's carry-over: every post of the old generation that the new
 * one lacks (`gone`: ids of posts whose files went away; and those already
 * marked), copied into the new generation, marked. Returns the posts it
 * copied, for the new generation's search index, and how many were newly
 * marked. Mirroring sources carry only what was marked before, unless the
 * sync removes too much (then everything, held).
 */
export async function carryRemoved(
  db: ArchiveDb,
  source: SourceRecord,
  newGen: number,
  gone: ReadonlySet<string>,
  inNewGen: (ids: string[]) => Promise<boolean[]>,
  at: number,
): Promise<{ carried: PostRecord[]; newlyRemoved: number; held: boolean }> {
  const oldGen = source.gen ?? 0;
  const marked = new Set(await removedOf(db, source.id, oldGen));
  const idOf = (key: string) => key.slice(`${source.id}|${oldGen}|`.length);
  const candidates = [...new Set([...gone, ...[...marked].map(idOf)])];
  const missing: string[] = [];
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const ids = candidates.slice(i, i + CHUNK);
    const present = await inNewGen(ids);
    ids.forEach((id, k) => {
      if (!present[k]) missing.push(id);
    });
  }
  const fresh = missing.filter((id) => !marked.has(postKey(source.id, oldGen, id)));
  const stillThere = Math.max(0, source.postCount - (source.removedCount ?? 0));
  const held = mustHold(source, fresh.length, stillThere);
  // A mirroring source lets go of what it removed now, within the limit.
  const carry = source.mirrorRemovals && !held ? missing.filter((id) => marked.has(postKey(source.id, oldGen, id))) : missing;
  const carried: PostRecord[] = [];
  let newlyRemoved = 0;
  for (let i = 0; i < carry.length; i += CHUNK) {
    const old = await getPosts(db, carry.slice(i, i + CHUNK).map((id) => postKey(source.id, oldGen, id)));
    const rows = old.flatMap((post) => {
      if (!post) return [];
      if (post.removedAt === undefined) newlyRemoved++;
      return [{ ...markRemoved(post, at, source.commitSha), key: postKey(source.id, newGen, post.id), gen: newGen }];
    });
    await putPosts(db, rows);
    carried.push(...rows);
  }
  return { carried, newlyRemoved, held };
}

/**
 * Removes a source's removed posts for good (the reader asked, or confirmed
 * a held removal). Returns how many went.
 */
export async function purgeRemoved(db: ArchiveDb, sourceId: string): Promise<number> {
  const { purged, rebuild } = await db.transaction('rw', db.posts, db.sources, async () => {
    const source = await db.sources.get(sourceId);
    if (!source) return { purged: 0, rebuild: false };
    const gen = source.gen ?? 0;
    const keys = await removedOf(db, sourceId, gen);
    const postCount = Math.max(0, source.postCount - (await deletePosts(db, keys)));
    // The index answers for them no more: searches read the changed posts as they are (gone).
    const searchIndex = hasIndex(source) ? { ...source.searchIndex, changed: [...new Set([...source.searchIndex.changed, ...keys])] } : source.searchIndex;
    const { removalHeld: _held, ...rest } = source;
    await db.sources.put({ ...rest, postCount, removedCount: 0, searchIndex });
    return { purged: keys.length, rebuild: (searchIndex?.changed.length ?? 0) > REBUILD_AFTER };
  });
  if (rebuild) await ensureSearchIndex(db, sourceId);
  return purged;
}

/** The reader keeps a held removal's posts (marked, as any removed post): the question is answered. */
export async function keepHeld(db: ArchiveDb, sourceId: string): Promise<void> {
  await db.transaction('rw', db.sources, async () => {
    const source = await db.sources.get(sourceId);
    if (!source?.removalHeld) return;
    const { removalHeld: _held, ...rest } = source;
    await db.sources.put(rest);
  });
}
