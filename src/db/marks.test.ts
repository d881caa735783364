import { readFileSync } from 'node:fs';
import { storedPosts } from '../../test/support/stored-posts';
import { deletePosts, putPosts } from './post-store';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { Membership } from '../core/membership';
import { parsePost } from '../core/post';
import { archiveVersion, buildMembership, markVideos } from './marks';
import { countVideosAndChannels } from './queries';
import { postKey, toRecord } from './import';
import { docsKey, ensureSearchIndex } from './search-index';
import { openArchive, type ArchiveDb, type PostRecord } from './schema';
import type { VideoId } from '../core/youtube';

const builtin = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/builtin/archive.json'), 'utf8')) as BuiltinArchive;
const sample = builtin.files.flatMap((f) => {
  const r = parsePost(f.text, f.path);
  return r.ok ? [r.post] : [];
});
const countOf = (id: string) => new Set(sample.filter((p) => p.videoId === id).map((p) => p.id)).size;
const retitled = sample.find((p) => countOf(p.videoId!) > 1)!.videoId!;
const STRANGER = 'zz000000001';

let db: ArchiveDb;
beforeAll(async () => {
  db = openArchive('marks-test');
  await importBuiltinArchive(db, builtin);
});
afterAll(async () => {
  await db.delete();
});

/** Distinct videos of the posts of each source's visible generation. */
async function visibleVideos(): Promise<number> {
  const gens = new Map((await db.sources.toArray()).map((s) => [s.id, s.gen ?? 0]));
  return new Set((await storedPosts(db)).filter((p) => p.gen === gens.get(p.sourceId)).flatMap((p) => p.videoIds)).size;
}

describe('marks for YouTube tabs', () => {
  it('holds every archived video in the membership set, built from the index', async () => {
    const built = await buildMembership(db);
    const set = Membership.from(built);
    expect(sample.every((p) => set.mayHold(p.videoId!))).toBe(true);
    expect(set.mayHold(STRANGER)).toBe(false);
    // The stats line's count of videos comes from the same walk.
    expect(built.videos).toBe(new Set(sample.map((p) => p.videoId)).size);
    expect(built.videos).toBe((await countVideosAndChannels(db)).videos);
  });

  it('answers a batch with each archived video\'s post count and newest title, and leaves the rest out', async () => {
    const marks = await markVideos(db, ['-VWLP6-06Jc', retitled, STRANGER]);
    expect(marks.map((m) => m.videoId).sort()).toEqual(['-VWLP6-06Jc', retitled].sort());
    const seed = marks.find((m) => m.videoId === '-VWLP6-06Jc')!;
    expect(seed.posts).toBe(1);
    expect(seed.title).toBe(sample.find((p) => p.videoId === '-VWLP6-06Jc')!.title.trim());
    // Under archived/, which the site excludes: no page to link to.
    expect(seed.postUrl).toBeNull();
    const history = marks.find((m) => m.videoId === retitled)!;
    expect(history.posts).toBe(countOf(retitled));
    const newest = sample.filter((p) => p.videoId === retitled).sort((a, b) => b.date.localeCompare(a.date))[0]!;
    expect(history.date).toBe(newest.date);
  });

  it('counts the videos of what is visible: a post changed since the index was built as it is now, not a sync\'s unfinished generation', async () => {
    const [source] = await db.sources.toArray();
    const gen = source!.gen ?? 0;
    expect(source!.searchIndex?.gen).toBe(gen);
    const before = await buildMembership(db);
    // Two posts of this source, each the only one of its video in the archive.
    const all = await storedPosts(db);
    const only = (p: PostRecord) => all.filter((q) => q.videoId === p.videoId).length === 1;
    const [first, second] = all.filter((p) => p.sourceId === source!.id && p.videoId && only(p));
    // A sync writing the next generation: not archived until it is switched to.
    await putPosts(db, [toRecord(source!.id, gen + 1, { ...first!, id: 'next-gen', videoId: 'zz000000002' as VideoId })]);
    // An incremental sync: one post now archives another video, one is gone; the index still lists both as they were.
    await putPosts(db, [toRecord(source!.id, gen, { ...first!, videoId: 'zz000000003' as VideoId })]);
    await deletePosts(db, [postKey(source!.id, gen, second!.id)]);
    await db.sources.update(source!.id, { 'searchIndex.changed': [postKey(source!.id, gen, first!.id), postKey(source!.id, gen, second!.id)] });
    const after = await buildMembership(db);
    const set = Membership.from(after);
    expect(set.mayHold('zz000000003')).toBe(true);
    expect(set.mayHold('zz000000002')).toBe(false);
    expect(after.videos).toBe(before.videos - 1);
    expect(after.videos).toBe(await visibleVideos());
  });

  it('walks the video index while an index made before indexes kept videos is current, and builds that index again', async () => {
    const [, source] = await db.sources.toArray();
    const { gen, build } = source!.searchIndex!;
    // As an earlier version wrote it: the same rows, without the videos.
    const { videos: _videos, ...old } = (await db.searchDocs.get(docsKey(source!.id, gen, build)))!;
    expect(_videos).toBeInstanceOf(Uint8Array);
    await db.searchDocs.put({ ...old, key: docsKey(source!.id, gen, build + 1), build: build + 1 });
    await db.sources.update(source!.id, { searchIndex: { gen, build: build + 1, changed: [] } });
    const walked = await buildMembership(db);
    expect(walked.videos).toBe((await countVideosAndChannels(db)).videos);
    expect(await ensureSearchIndex(db, source!.id)).not.toBeNull();
    const rebuilt = (await db.sources.get(source!.id))!.searchIndex!;
    // A build of its own (builds are numbered by time, never reused).
    expect([build, build + 1]).not.toContain(rebuilt.build);
    expect((await db.searchDocs.get(docsKey(source!.id, gen, rebuilt.build)))?.videos).toBeInstanceOf(Uint8Array);
    expect((await buildMembership(db)).videos).toBe(await visibleVideos());
    // Built once: the next start finds it current.
    expect(await ensureSearchIndex(db, source!.id)).toBeNull();
  });

  it("knows at a worker's start that an index keeps its videos without reading the index's list of posts", async () => {
    // A database this worker has not read yet, as at a start.
    const fresh = openArchive('marks-fresh-start');
    try {
      const reads = vi.spyOn(fresh.searchDocs, 'get');
      await importBuiltinArchive(fresh, builtin);
      for (let start = 0; start < 2; start++) for (const source of await fresh.sources.toArray()) await ensureSearchIndex(fresh, source.id);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      await fresh.delete();
    }
  });

  it('has a version that changes when a source does, so tabs take a new set', async () => {
    const before = await archiveVersion(db);
    expect(await archiveVersion(db)).toBe(before);
    const [source] = await db.sources.toArray();
    await db.sources.update(source!.id, { postCount: source!.postCount - 1 });
    expect(await archiveVersion(db)).not.toBe(before);
  });
});
