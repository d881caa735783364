// What the source removes, the reader's archive keeps: through incremental
// and full syncs, a folder renamed out of the synced folders, a purge, and
// a source that mirrors removals (with a hold on removing too much).
// Against a local server that speaks GitHub's protocols, over society's real git repository.
import { getPosts } from '../db/post-store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { useSocietyOnGitHub, type FakeGitHub } from '../../test/support/fake-github';
import { lookupVideo } from '../db/queries';
import { browsePosts, searchPosts } from '../db/search';
import { filesOf } from '../db/files';
import { postKey } from '../db/import';
import { purgeRemoved } from '../db/removed';
import { openArchive, type ArchiveDb, type PostRecord, type SourceRecord } from '../db/schema';
import { Http } from './http';
import { syncGithub } from './github-sync';
import { githubSource } from './sources';

let github: FakeGitHub;
let repo: ArchiveRepo;
let db: ArchiveDb;
let n = 0;

const society$ = useSocietyOnGitHub({ beforeAll, afterAll });
beforeEach(() => {
  github = society$.github();
  repo = society$.repo();
  db = openArchive(`removed-${++n}`);
});

const ID = 'github:nodebe4/society';
const current = async () => (await db.sources.get(ID))!;

async function sync(source?: SourceRecord) {
  const http = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [1] });
  const start = source ?? (await current());
  if (!(await db.sources.get(start.id))) await db.sources.put(start);
  return syncGithub({ db, http, token: null, report: () => {} }, start);
}

/** The stored posts of some paths (each path's post, as the source's files name it). */
async function postsAt(paths: string[]): Promise<PostRecord[]> {
  const source = await current();
  const files = await filesOf(db, ID, source.gen ?? 0);
  const keys = [...new Set(paths.map((p) => files.get(p)!.postId!))].map((id) => postKey(ID, source.gen ?? 0, id));
  return (await getPosts(db, keys)).map((p) => p!);
}

/** Of these posts (as they were), the ones whose video still shows them, as the panel asks. */
async function stillShown(posts: PostRecord[]): Promise<{ shown: number; marked: number }> {
  let shown = 0;
  let marked = 0;
  for (const post of posts) {
    const view = (await lookupVideo(db, post.videoId!)).archived.find((p) => p.title === post.title.trim() && p.date === post.date);
    if (view) shown++;
    if (view?.removedAt) marked++;
  }
  return { shown, marked };
}

const archivedFiles = () => repo.files('archived/').filter((f) => f.endsWith('.md'));
/** Posts with a video and no twin elsewhere, so each file is one post that the lookup shows. */
const singles = (paths: string[]) => paths.filter((p) => /^archived\/\d{4}-\d\d-\d\d\//.test(p));

describe('posts the source removes', () => {
  it('stay through an incremental sync, a renamed folder and a full re-sync, marked, until the reader purges them', async () => {
    const source = { ...githubSource({ repository: 'NodeBE4/society' }), github: { ...githubSource({ repository: 'NodeBE4/society' }).github!, branch: 'master' } };
    expect(await sync(source)).toMatchObject({ result: 'updated', mode: 'full' });
    const all = archivedFiles();
    const deleted = singles(all.filter((f) => f.startsWith('archived/2022-'))).slice(0, 200);
    // A folder renamed by mistake, out of the folders the source syncs.
    const folder = 'archived/2024-01-17/';
    const renamed = all.filter((f) => f.startsWith(folder));
    const sample = [...deleted.slice(0, 15), ...renamed.slice(0, 5)];
    const before = await postsAt(sample);
    const removedPosts = new Set((await postsAt([...deleted, ...renamed])).map((p) => p.key)).size;
    const postCount = (await current()).postCount;
    expect(await stillShown(before)).toEqual({ shown: 20, marked: 0 });
    const head = repo.head();
    repo.commit('a takedown and a slip', { remove: deleted, move: Object.fromEntries(renamed.map((f) => [f, f.replace('archived/', 'archive/')])) });

    const incremental = await sync();
    expect(incremental).toMatchObject({ result: 'updated', mode: 'incremental', counts: { removed: deleted.length + renamed.length, kept: removedPosts } });
    let after = await current();
    expect(after.postCount).toBe(postCount);
    expect(after.removedCount).toBe(removedPosts);
    expect(await stillShown(before)).toEqual({ shown: 20, marked: 20 });
    // Its file at the last commit that had it; no link to a site page that is gone.
    const view = (await lookupVideo(db, before[0]!.videoId!)).archived.find((p) => p.removedAt)!;
    expect(view.fileUrl).toBe(`https://github.com/NodeBE4/society/blob/${head}/${before[0]!.path.split('/').map(encodeURIComponent).join('/')}`);
    expect(view.postUrl).toBeNull();
    // Still found by search, and the filter finds them all, alone or with other words.
    expect((await searchPosts(db, `"${before[3]!.title.trim()}"`)).posts.some((p) => p.key === before[3]!.key)).toBe(true);
    const filtered = await searchPosts(db, 'is:removed', 500);
    expect(filtered.total).toBe(removedPosts);
    expect(filtered.posts.every((p) => p.removedAt !== undefined)).toBe(true);
    expect((await searchPosts(db, `已删除 "${before[3]!.title.trim()}"`)).posts.map((p) => p.key)).toEqual([before[3]!.key]);
    expect((await browsePosts(db, 'is:removed', 0, 50)).total).toBe(removedPosts);

    // Over a thousand files edited, and some moved within the synced folders: a full sync
    // (a new generation) carries the removed posts over; edits and moves remove nothing.
    const edited = all.filter((f) => f.startsWith('archived/2023-')).slice(0, 1100);
    const moved = all.filter((f) => f.startsWith('archived/2021-')).slice(0, 50);
    repo.commit('reorganised', {
      write: Object.fromEntries(edited.map((f) => [f, `${repo.read(f)}\n(edited)\n`])),
      move: Object.fromEntries(moved.map((f) => [f, f.replace('archived/2021-', 'archived/y2021/')])),
    });
    const full = await sync();
    expect(full).toMatchObject({ result: 'updated', mode: 'full', counts: { kept: 0 } });
    after = await current();
    expect(after.gen).toBeGreaterThan(source.gen ?? 0);
    expect(after.postCount).toBe(postCount);
    expect(after.removedCount).toBe(removedPosts);
    expect(await stillShown(before)).toEqual({ shown: 20, marked: 20 });
    // Moves stay moves: nothing of the reorganised folder is marked.
    expect((await postsAt(moved.map((f) => f.replace('archived/2021-', 'archived/y2021/')))).every((p) => p.removedAt === undefined)).toBe(true);
    expect((await postsAt(edited.slice(0, 50))).every((p) => p.removedAt === undefined && p.summary.endsWith('(edited)'))).toBe(true);

    // The reader purges them (the options page shows the count first).
    expect(await purgeRemoved(db, ID)).toBe(removedPosts);
    after = await current();
    expect(after.postCount).toBe(postCount - removedPosts);
    expect(after.removedCount).toBe(0);
    expect(await stillShown(before)).toEqual({ shown: 0, marked: 0 });
    expect((await searchPosts(db, `"${before[3]!.title.trim()}"`)).posts.some((p) => p.key === before[3]!.key)).toBe(false);

    // The deleted files come back (an incremental sync): ordinary posts again.
    repo.commit('undeleted', { write: Object.fromEntries(deleted.map((f) => [f, repo.readAt(head, f)])) });
    expect(await sync()).toMatchObject({ result: 'updated', mode: 'incremental', counts: { added: deleted.length, kept: 0 } });
    expect(await stillShown(before.slice(0, 15))).toEqual({ shown: 15, marked: 0 });
    repo.restore(head);
  }, 600_000);

  it('go at once from a source that mirrors removals, unless a sync removes more than a fifth: those wait for the reader', async () => {
    const base = githubSource({ repository: 'NodeBE4/society' });
    const source = { ...base, github: { ...base.github!, branch: 'master' }, mirrorRemovals: true };
    await sync(source);
    const all = singles(archivedFiles());
    const few = all.filter((f) => f.startsWith('archived/2022-')).slice(0, 50);
    const fewPosts = await postsAt(few);
    const postCount = (await current()).postCount;
    const head = repo.head();
    repo.commit('a few removed', { remove: few });
    expect(await sync()).toMatchObject({ result: 'updated', mode: 'incremental' });
    let after = await current();
    expect(after.removedCount).toBe(0);
    expect(after.postCount).toBe(postCount - new Set(fewPosts.map((p) => p.key)).size);
    expect((await stillShown(fewPosts.slice(0, 10))).shown).toBe(0);

    // A quarter of the archive gone at once: kept, marked, and the source says it waits for the reader.
    const many = all.filter((f) => !few.includes(f)).slice(0, Math.ceil(after.postCount / 4));
    const manyPosts = await postsAt(many);
    repo.commit('too many removed', { remove: many });
    expect(await sync()).toMatchObject({ result: 'updated', mode: 'incremental' });
    after = await current();
    // Posts with a twin left elsewhere (_posts/) are not gone.
    const manySet = new Set(many);
    const held = new Set(manyPosts.filter((p) => p.paths.every((path) => manySet.has(path))).map((p) => p.key)).size;
    expect(after.removedCount).toBe(held);
    expect(after.removalHeld).toMatchObject({ count: held });
    const gone = manyPosts.filter((p) => p.paths.every((path) => manySet.has(path))).slice(0, 10);
    expect(await stillShown(gone)).toEqual({ shown: 10, marked: 10 });
    // Confirmed: they go.
    expect(await purgeRemoved(db, ID)).toBe(held);
    after = await current();
    expect(after.removalHeld).toBeUndefined();
    expect((await stillShown(gone)).shown).toBe(0);

    repo.restore(head);
  }, 600_000);

  it('are held on a full sync too, when a mirroring source loses more than a fifth along with many edits', async () => {
    const base = githubSource({ repository: 'NodeBE4/society' });
    const source = { ...base, github: { ...base.github!, branch: 'master' }, mirrorRemovals: true };
    await sync(source);
    const head = repo.head();
    const all = singles(archivedFiles());
    const postCount = (await current()).postCount;
    const many = all.slice(0, Math.ceil(postCount / 4));
    const manyPosts = await postsAt(many);
    // More edits than an incremental sync fetches one by one: GitHub's tarball again, a new generation.
    const edited = all.slice(many.length, many.length + 1_100);
    repo.commit('a quarter removed, many edited', {
      remove: many,
      write: Object.fromEntries(edited.map((f) => [f, repo.read(f).replace(/^title: "/m, 'title: "(edited) ')])),
    });
    expect(await sync()).toMatchObject({ result: 'updated', mode: 'full' });
    const after = await current();
    const manySet = new Set(many);
    const gone = manyPosts.filter((p) => p.paths.every((path) => manySet.has(path)));
    const held = new Set(gone.map((p) => p.key)).size;
    expect(after.removedCount).toBe(held);
    expect(after.removalHeld).toMatchObject({ count: held });
    expect(await stillShown(gone.slice(0, 10))).toEqual({ shown: 10, marked: 10 });
    repo.restore(head);
  }, 600_000);
});
