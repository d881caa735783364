// The engine saving a full sync's batch itself (saving.ts): what it stores is
// what the background's own path stores, twins in the batch merged, and each
// record is indexed by the copy it says.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractedSociety } from '../../test/support/archives';
import { readEntry } from '../core/read-entry';
import type { Post } from '../core/post';
import { importPosts, postKey } from '../db/import';
import { eachPost } from '../db/post-store';
import { packNumbers } from '../db/post-packs';
import { openArchive, type ArchiveDb, type PostRecord } from '../db/schema';
import { filesOf } from '../db/files';
import { packNumber } from '../core/pack-runs';
import { savedColumns, savePosts } from './saving';
import type { SavedPost } from './protocol';

// A stale twin in society: the same post in _posts/ and in archived/.
const TWINS = ['_posts/2019-05-28-小巷子系列2.md', 'archived/2019-05-28/2019-05-28-小巷子系列2.md'];
const OTHER = '_posts/2019-05-31-实拍东莞长安新民三村，满满的回忆！.md';

function parsed(path: string): Post {
  const data = new Uint8Array(readFileSync(join(extractedSociety(), path)));
  const read = readEntry(path, data, data.length, undefined);
  if (!read.result.ok) throw new Error(`${path} does not parse`);
  return { ...read.result.post, bodyHtml: '' };
}

async function stored(db: ArchiveDb): Promise<Map<string, PostRecord>> {
  const out = new Map<string, PostRecord>();
  await eachPost(db, 'github:test', 3, (posts) => posts.forEach((post) => out.set(post.key, post)));
  return out;
}

describe('the engine saving a batch', () => {
  it('stores the posts as the one import path does, twins merged, each indexed by the copy its record says', async () => {
    const posts = [parsed(TWINS[0]!), parsed(OTHER), parsed(TWINS[1]!)];
    expect(posts[0]!.id).toBe(posts[2]!.id);
    const db = openArchive('engine-saving');
    const target = { dbName: db.name, sourceId: 'github:test', gen: 3 };
    const files = posts.map((post) => ({ path: post.path, sha: `sha-${post.path.length}`, postId: post.id }));
    packNumbers.after(Date.now() * 1000 + 5e9);
    const before = packNumbers.last();
    const { saved, stored: done } = savePosts(db, target, posts.map((post, i) => ({ post, token: 10 + i })), files);
    await done;

    const oracle = openArchive('engine-saving-oracle');
    await importPosts(oracle, 'github:test', posts, 3);
    const expected = await stored(oracle);
    expect(expected.size).toBe(2);
    expect(await stored(db)).toEqual(expected);
    // Every file is in the generation's file packs.
    expect([...(await filesOf(db, 'github:test', 3)).keys()].sort()).toEqual([...TWINS, OTHER].sort());

    // Two posts, in new packs numbered after the last this thread knew of.
    expect(saved.map((post) => post.id)).toEqual([posts[0]!.id, posts[1]!.id]);
    for (const post of saved) expect(packNumber('github:test|3|', post.pack)).toBeGreaterThan(before);
    // The twin is indexed by the fields of the copy its record keeps.
    const twin = expected.get(postKey('github:test', 3, posts[0]!.id))!;
    expect(saved[0]!.token).toBe(twin.path === TWINS[0] ? 10 : 12);
    expect(saved[1]!.token).toBe(11);
    expect(saved[0]).toMatchObject({ videoIds: twin.videoIds, time: twin.time, channel: twin.channel, tags: twin.tags });
  });

  it('sends the saved posts back column by column, each name once, and loses nothing of them', () => {
    const saved: SavedPost[] = [TWINS[0]!, OTHER, TWINS[1]!].map((path, i) => {
      const post = parsed(path);
      return { id: `${post.id}${i}`, videoIds: post.videoId ? [post.videoId] : [], time: post.time, channel: post.channel, author: post.author, tags: [...post.tags, ...post.tags], size: 100 + i, token: 10 + i, pack: `p${i >> 1}` };
    });
    // One with no video, channel nor tags.
    saved.push({ id: 'bare', videoIds: [], time: 5, channel: '', author: '', tags: [], size: 1, token: 99, pack: 'p9' });
    const columns = savedColumns(saved);
    expect(columns.names.length).toBe(new Set(saved.flatMap((post) => [post.channel || post.author, ...post.tags])).size);
    expect(columns.packs).toEqual(['p0', 'p1', 'p9']);
    const back = columns.ids.split('\n').map((id, i) => ({
      id,
      video: columns.videos.split('\n')[i],
      time: columns.times[i],
      size: columns.sizes[i],
      token: columns.tokens[i],
      pack: columns.packs[columns.packOf[i]!],
      channel: columns.names[columns.channel[i]!],
      tags: Array.from(columns.tags.subarray(columns.tagsAt[i], columns.tagsAt[i + 1]), (tag) => columns.names[tag]),
    }));
    expect(back).toEqual(saved.map((post) => ({
      id: post.id, video: post.videoIds[0] ?? '', time: post.time, size: post.size, token: post.token, pack: post.pack,
      channel: post.channel || post.author, tags: [...new Set(post.tags)],
    })));
  });
});
