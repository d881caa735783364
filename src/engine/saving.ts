// The engine's half of saving a full sync's batch (db/held-batch.ts is the
// background's): the posts it parsed and holds go into new packs of the
// sync's generation, with the batch's files, in one transaction of the
// engine's own connection to the archive. Their text never crosses to the
// background: in Firefox what crossed (the parsed posts, cloned) and what the
// background made of it (records, packs' JSON) was garbage its collector left
// for seconds, about a third of the extension's peak during a large sync.
import { postKey, toRecord } from '../db/post-record';
import { commitNow, putNative } from '../db/native-put';
import { filePacks } from '../db/file-packs';
import { newPacks, keysOf } from '../db/post-packs';
import { indexedPost } from '../db/indexed-post';
import type { ArchiveDb, FileEntry, PostRecord } from '../db/schema';
import type { Post } from '../core/post';
import type { SavedColumns, SavedPost, WriteTarget } from './protocol';
import { TextMap } from '../core/text-keys';

/**
 * Saves `posts` (in the batch's order, with their tokens) and `files`. Twins
 * in the batch are merged as the background merges them (db/staging.ts): the
 * record says what its preferred copy says, and is indexed by that copy's
 * token. Returns at once with where each record goes; `stored` settles when
 * the transaction does.
 */
export function savePosts(db: ArchiveDb, target: WriteTarget, posts: readonly { post: Post; token: number }[], files: readonly FileEntry[]): { saved: SavedPost[]; stored: Promise<void> } {
  const { sourceId, gen } = target;
  const records = new TextMap<PostRecord>();
  const tokens = new TextMap<number>();
  for (const { post, token } of posts) {
    const key = postKey(sourceId, gen, post.id);
    const record = toRecord(sourceId, gen, post, records.get(key));
    records.set(key, record);
    if (record.path === post.path) tokens.set(key, token);
  }
  const packs = newPacks([...records.values()], true);
  const saved: SavedPost[] = [];
  for (const pack of packs) {
    for (const key of keysOf(pack)) saved.push({ ...indexedPost(records.get(key)!), token: tokens.get(key)!, pack: pack.key });
  }
  const stored = db.transaction('rw', db.posts, db.files, async () => {
    const sent = [putNative(db.posts, packs), putNative(db.files, filePacks(sourceId, gen, files))];
    commitNow();
    await Promise.all(sent);
  });
  return { saved, stored };
}

/** Saved posts as `write` sends them (protocol.ts SavedColumns). */
export function savedColumns(saved: readonly SavedPost[]): SavedColumns {
  const n = saved.length;
  const packs = new TextMap<number>();
  const names = new TextMap<number>();
  const name = (text: string) => {
    let place = names.get(text);
    if (place === undefined) names.set(text, (place = names.size));
    return place;
  };
  const columns = {
    times: new Float64Array(n), sizes: new Float64Array(n), tokens: new Int32Array(n), packOf: new Int32Array(n),
    channel: new Int32Array(n), tagsAt: new Int32Array(n + 1),
  };
  const tags: number[] = [];
  saved.forEach((post, i) => {
    columns.times[i] = post.time;
    columns.sizes[i] = post.size;
    columns.tokens[i] = post.token;
    let pack = packs.get(post.pack);
    if (pack === undefined) packs.set(post.pack, (pack = packs.size));
    columns.packOf[i] = pack;
    columns.channel[i] = name(post.channel || post.author);
    columns.tagsAt[i] = tags.length;
    for (const tag of new Set(post.tags)) tags.push(name(tag));
  });
  columns.tagsAt[n] = tags.length;
  return {
    ...columns,
    ids: saved.map((post) => post.id).join('\n'),
    videos: saved.map((post) => post.videoIds[0] ?? '').join('\n'),
    packs: [...packs.keys()],
    names: [...names.keys()],
    tags: Int32Array.from(tags),
  };
}
