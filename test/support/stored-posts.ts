// What tests read of the archive's posts, which the database keeps in packs
// (src/db/post-store.ts): every stored post, decoded; and real posts to store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveDb, PostRecord } from '../../src/db/schema';
import { decode } from '../../src/db/post-packs';
import { toRecord } from '../../src/db/import';
import { parsePost } from '../../src/core/post';
import { extractedSociety, listFiles } from './archives';

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

/** The first `count` posts of society (files in path order) as a sync of `sourceId` stores them in generation `gen`, twins merged. */
export function societyRecords(sourceId: string, gen: number, count: number): PostRecord[] {
  const root = extractedSociety();
  const posts = new Map<string, PostRecord>();
  for (const path of listFiles(root).filter((p) => p.endsWith('.md')).sort().slice(0, count)) {
    const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
    if (r.ok) posts.set(r.post.id, toRecord(sourceId, gen, r.post, posts.get(r.post.id)));
  }
  return [...posts.values()];
}
