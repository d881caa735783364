import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { Membership } from '../core/membership';
import { parsePost } from '../core/post';
import { archiveVersion, buildMembership, markVideos } from './marks';
import { countVideosAndChannels } from './queries';
import { openArchive, type ArchiveDb } from './schema';

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
    expect(seed.postUrl).toMatch(/^https:\/\/nodebe4\.github\.io\/teahouse\//);
    const history = marks.find((m) => m.videoId === retitled)!;
    expect(history.posts).toBe(countOf(retitled));
    const newest = sample.filter((p) => p.videoId === retitled).sort((a, b) => b.date.localeCompare(a.date))[0]!;
    expect(history.date).toBe(newest.date);
  });

  it('has a version that changes when a source does, so tabs take a new set', async () => {
    const before = await archiveVersion(db);
    expect(await archiveVersion(db)).toBe(before);
    const [source] = await db.sources.toArray();
    await db.sources.update(source!.id, { postCount: source!.postCount - 1 });
    expect(await archiveVersion(db)).not.toBe(before);
  });
});
