// What tests read of the archive's posts, which the database keeps in packs
// (src/db/post-store.ts): every stored post, decoded.
import type { ArchiveDb, PostRecord } from '../../src/db/schema';
import { decode } from '../../src/db/post-packs';

/** Every post stored, of every source and generation (or of one source), in key order (as a table of posts would list them). */
export async function storedPosts(db: ArchiveDb, sourceId?: string): Promise<PostRecord[]> {
  const packs = sourceId === undefined ? await db.posts.toArray() : await db.posts.where('[sourceId+gen]').between([sourceId, -Infinity], [sourceId, Infinity]).toArray();
  // Directory rows (src/db/post-directory.ts) sit among the packs and hold no posts.
  return packs.flatMap((pack) => (pack.posts ?? []).map((_, i) => decode(pack, i))).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** How many posts are stored (of one source). */
export async function countStored(db: ArchiveDb, sourceId?: string): Promise<number> {
  return (await storedPosts(db, sourceId)).length;
}
