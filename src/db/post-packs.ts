// How posts are laid out in packs (db/post-store.ts says why packs): the
// encoding only, below the schema, whose upgrade packs the posts an older
// version stored one record each.
import type { PostPackRecord, PostRecord } from './records';
import { packKeyOf } from '../core/pack-runs';

/**
 * Posts a pack holds at most (about 20 KB at society's sizes). Larger packs
 * write a little faster but are slower to read: a search reads the packs of
 * 50 posts or so, one pack each (Chromium, 50 random packs: 10 ms at 16
 * posts a pack, 21 ms at 64).
 */
export const PACK_POSTS = 16;
/** Characters of JSON a pack holds at most, whatever its count (long posts). */
const PACK_CHARS = 32 * 1024;

export const generationPrefix = (sourceId: string, gen: number) => `${sourceId}|${gen}|`;

let lastPack = 0;
/**
 * A pack's key: under its generation's prefix (which `[sourceId+gen]` and
 * prefix walks find), after every post id (`~` sorts after letters and
 * digits), and never one a pack had before in this database.
 */
function packKey(sourceId: string, gen: number): string {
  lastPack = Math.max(Date.now() * 1000, lastPack + 1);
  return packKeyOf(generationPrefix(sourceId, gen), lastPack);
}

/**
 * The number of the last pack made in this thread, and telling it of
 * another thread's: a full sync's new packs are made by the sync engine's
 * worker and, for a batch with a twin of a saved post, by the background
 * (db/held-batch.ts), in the same generation. Each tells the other its last
 * number with every batch, so no key is made twice.
 */
export const packNumbers = {
  last: (): number => lastPack,
  after(n: number): void {
    lastPack = Math.max(lastPack, n);
  },
};

/**
 * A post's text in its pack, without what the pack already says: its key,
 * source, generation and id (the pack's `keys` and own fields hold them) and
 * its path (the first of its paths). They were a seventh of society's posts'
 * JSON, cloned and stored with every post. Posts stored before are read as
 * they are: decode only fills in what a text lacks.
 */
export function encode(post: PostRecord): string {
  const { key, sourceId, gen, id, path, ...rest } = post;
  const keyed = key === `${generationPrefix(sourceId, gen)}${id}`;
  const pathed = path === post.paths?.[0];
  if (keyed && pathed) return JSON.stringify(rest);
  return JSON.stringify(post);
}

export function decode(pack: PostPackRecord, index: number): PostRecord {
  const post = JSON.parse(pack.posts[index]!) as PostRecord;
  if (post.key === undefined) {
    post.key = keysOf(pack)[index]!;
    post.sourceId = pack.sourceId;
    post.gen = pack.gen;
    post.id = post.key.slice(generationPrefix(pack.sourceId, pack.gen).length);
  }
  post.path ??= post.paths?.[0] ?? '';
  return post;
}

/** The keys of a pack's posts, in the order of its `posts`. */
export const keysOf = (pack: PostPackRecord): string[] => pack.keys ?? pack.directoryKeys ?? [];

/**
 * A pack's record for these posts (all of one source and generation).
 * `directory`: its posts are found through their generation's directory
 * (db/post-directory.ts), not the `keys` index. `videosIndexed` false: nor
 * are their videos in `*videoIds`, for the generation's video directory will
 * list them (a full sync's new packs only; a pack written again lists its
 * videos, for its posts may no longer archive what the directory says).
 */
export function packOf(key: string, posts: readonly PostRecord[], texts: readonly string[] = posts.map(encode), directory = false, videosIndexed = true): PostPackRecord {
  const first = posts[0]!;
  const removedKeys: string[] = [];
  for (const post of posts) if (post.removedAt !== undefined) removedKeys.push(post.key);
  const keys = posts.map((p) => p.key);
  return {
    key,
    sourceId: first.sourceId,
    gen: first.gen,
    ...(directory ? { directoryKeys: keys } : { keys }),
    videoIds: videosIndexed ? [...new Set(posts.flatMap((p) => p.videoIds))] : [],
    mentionIds: [...new Set(posts.flatMap((p) => p.mentionIds))],
    removedKeys,
    posts: [...texts],
  };
}

/** Packs for posts not stored yet, grouped by generation, each within PACK_POSTS and PACK_CHARS (`directory`: as packOf, videos and all). */
export function newPacks(posts: readonly PostRecord[], directory = false): PostPackRecord[] {
  const groups = new Map<string, PostRecord[]>();
  for (const post of posts) {
    const prefix = generationPrefix(post.sourceId, post.gen);
    const group = groups.get(prefix) ?? [];
    group.push(post);
    groups.set(prefix, group);
  }
  const packs: PostPackRecord[] = [];
  for (const group of groups.values()) {
    let members: PostRecord[] = [];
    let texts: string[] = [];
    let chars = 0;
    const close = () => {
      if (members.length) packs.push(packOf(packKey(members[0]!.sourceId, members[0]!.gen), members, texts, directory, !directory));
      members = [];
      texts = [];
      chars = 0;
    };
    for (const post of group) {
      const text = encode(post);
      if (members.length >= PACK_POSTS || (members.length > 0 && chars + text.length > PACK_CHARS)) close();
      members.push(post);
      texts.push(text);
      chars += text.length;
    }
    close();
  }
  return packs;
}

/** Packs of posts no pack holds yet: for the schema's upgrade from one record per post. */
export const packPosts = (posts: readonly PostRecord[]) => newPacks(posts);
