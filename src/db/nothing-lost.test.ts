// The archive survives interrupted, concurrent and failing work: every test
// here is a way real use could lose posts, and checks that it does not.
import { countStored, storedPosts } from '../../test/support/stored-posts';
import { countPosts, putPosts } from './post-store';
import { openAsBlob } from 'node:fs';
import Dexie from 'dexie';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { seedText, SOCIETY_TARBALL } from '../../test/support/archives';
import { useSocietyOnGitHub, type FakeGitHub } from '../../test/support/fake-github';
import type { ArchiveRepo } from '../../test/support/git-archive-repo';
import { parsePost } from '../core/post';
import { SyncError } from '../core/github';
import { importArchive } from '../sync/file-import';
import { syncGithub } from '../sync/github-sync';
import { Http } from '../sync/http';
import { githubSource } from '../sync/sources';
import { cleanUpLeftovers } from './cleanup';
import { countFiles } from './files';
import { ofSource, removeSource } from './import';
import { withSourceLock } from './locks';
import { lookupVideo } from './queries';
import { openArchive, type ArchiveDb, type JobRecord, type SourceRecord } from './schema';
import { stageBatch } from './staging';
import { nextGeneration } from './generations';

let db: ArchiveDb;
let n = 0;
let repo: ArchiveRepo;
let github: FakeGitHub;
const society$ = useSocietyOnGitHub({ beforeAll, afterAll });
beforeEach(() => {
  github = society$.github();
  repo = society$.repo();
  db = openArchive(`nothing-lost-${++n}`);
  github.clearLog();
});

const society = () => githubSource({ repository: 'NodeBE4/society', branch: 'master' });
const noReport = () => {};
const sync = (source: SourceRecord, signal = new AbortController().signal, report: Parameters<typeof syncGithub>[0]['report'] = noReport) =>
  syncGithub({ db, http: new Http({ fetch: github.fetch, signal, backoffMs: [1, 1, 1] }), token: null, report }, source);
const visiblePosts = async (sourceId: string) => {
  const source = await db.sources.get(sourceId);
  return source ? countPosts(db, sourceId, source.gen ?? 0) : 0;
};

describe('nothing is lost', () => {
  it('an import abandoned with its tab, then the same file imported again, survives the next start-up cleanup', async () => {
    const file = { kind: 'file', name: 'society-posts.tar.gz', file: await openAsBlob(SOCIETY_TARBALL) } as const;
    const signal = new AbortController().signal;
    await importArchive(db, file, { signal, report: noReport });
    // What a closed tab leaves: its job and the rows it had written, with nobody holding the lock.
    const source = (await db.sources.get('file:society-posts.tar.gz'))!;
    const abandoned: JobRecord = {
      id: 'file:society-posts.tar.gz#1', sourceId: source.id, mode: 'full', gen: await nextGeneration(db, source), local: true,
      commitSha: '', branch: '', moves: [], remove: [], fetch: [], total: 0, startedAt: 1, requests: 0, bytes: 0,
    };
    await db.jobs.put(abandoned);
    const seed = parsePost(seedText(), '_posts/2025-02-02-seed.md');
    await stageBatch(db, abandoned, [{ path: '_posts/2025-02-02-seed.md', sha: 'x', result: seed }]);

    await importArchive(db, file, { signal, report: noReport });
    await cleanUpLeftovers(db);

    const after = (await db.sources.get(source.id))!;
    expect(after.postCount).toBeGreaterThan(15_000);
    expect(await visiblePosts(source.id)).toBe(after.postCount);
    expect((await lookupVideo(db, 'GorsYGIeIK4')).archived).toHaveLength(1);
    expect(await db.jobs.count()).toBe(0);
    // Nothing of other generations is left behind.
    expect(await countStored(db, source.id)).toBe(after.postCount);
  }, 120_000);

  it('start-up cleanup leaves a sync that starts meanwhile alone', async () => {
    const source = society();
    await db.sources.put(source);
    await sync(source);
    // Leftovers for the cleanup to work through: a stale generation of 15,000 rows.
    const stale = { id: 'stale', sourceId: source.id, mode: 'full' as const, gen: await nextGeneration(db, (await db.sources.get(source.id))!) };
    const rows = (await storedPosts(db, source.id)).map((p) => ({ ...p, gen: stale.gen, key: `${source.id}|${stale.gen}|${p.id}` }));
    await putPosts(db, rows);
    // The repository moves on, so the next sync writes a new generation.
    repo.commit('new post', { write: { '_posts/2026-11-28-new.md': seedText() } });
    await db.sources.update(source.id, { commitSha: undefined, etag: undefined });
    await ofSource(db.files, source.id).delete(); // forces a full sync
    const cleaning = cleanUpLeftovers(db);
    const syncing = withSourceLock(source.id, async () => sync((await db.sources.get(source.id))!));
    await Promise.all([cleaning, syncing]);
    const after = (await db.sources.get(source.id))!;
    expect(await visiblePosts(source.id)).toBe(after.postCount);
    expect(after.postCount).toBeGreaterThan(15_000);
    expect((await lookupVideo(db, '-VWLP6-06Jc')).archived).toHaveLength(1);
    repo.commit('undo', { remove: ['_posts/2026-11-28-new.md'] });
  }, 120_000);

  it('a source removed while its sync is saving stays removed', async () => {
    const source = society();
    await db.sources.put(source);
    const controller = new AbortController();
    let removal: Promise<void> | null = null;
    const outcome = sync(source, controller.signal, (p) => {
      if (p.phase === 'saving' && !removal) {
        // What the options page's Remove does: cancel, then remove.
        controller.abort(new DOMException('cancelled', 'AbortError'));
        removal = removeSource(db, source.id);
      }
    });
    await expect(outcome).rejects.toMatchObject({ kind: 'cancelled' });
    await removal;
    expect(await db.sources.get(source.id)).toBeUndefined();
    expect(await countStored(db, source.id)).toBe(0);
    expect(await countFiles(db, source.id)).toBe(0);
    expect(await db.jobs.count()).toBe(0);
  }, 120_000);

  it('a full disk ends the sync at once with what to do, keeps the previous archive and does not retry', async () => {
    const source = society();
    await db.sources.put(source);
    await sync(source);
    const before = { posts: await visiblePosts(source.id), source: (await db.sources.get(source.id))! };
    repo.commit('many changes', { write: Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`_posts/2026-11-28-n${i}.md`, seedText().replace('title: "', `title: "${i} `)])) });
    // The disk fills up after a few batches: IndexedDB throws QuotaExceededError (the files of a batch are put through the store itself).
    let writes = 0;
    const put = IDBObjectStore.prototype.put;
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (this.name === 'files' && ++writes > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    github.clearLog();
    const error = await sync((await db.sources.get(source.id))!).catch((e: unknown) => e);
    full.mockRestore();
    expect(writes).toBeGreaterThan(2);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ kind: 'storage-full', transient: false, message: expect.stringContaining('Remove a source') });
    expect(github.log.filter((r) => r.host === 'codeload.github.com')).toHaveLength(1);
    expect(await db.jobs.count()).toBe(0);
    expect(await visiblePosts(source.id)).toBe(before.posts);
    expect(await countStored(db, source.id)).toBe(before.posts);
    expect((await db.sources.get(source.id))!.gen).toBe(before.source.gen);
    repo.commit('undo', { remove: Array.from({ length: 1200 }, (_, i) => `_posts/2026-11-28-n${i}.md`) });
  }, 120_000);

  it('a full disk found only when the commit aborts (as IndexedDB reports quota) is a full disk too, and nothing changes', async () => {
    const source = society();
    await db.sources.put(source);
    await sync(source);
    const before = { posts: await visiblePosts(source.id), source: (await db.sources.get(source.id))! };
    const added = Array.from({ length: 20 }, (_, i) => `_posts/2026-11-29-q${i}.md`);
    repo.commit('a few new posts', { write: Object.fromEntries(added.map((path, i) => [path, seedText().replace('title: "', `title: "q${i} `)])) });
    // Every write went through; the browser refuses the space when the transaction commits:
    // Dexie rejects with an AbortError whose inner error is the QuotaExceededError.
    const put = db.sources.put.bind(db.sources);
    db.sources.put = ((...args: Parameters<typeof put>) => {
      if ((args[0] as SourceRecord).commitSha === repo.head()) {
        return Promise.reject(new Dexie.AbortError('Transaction aborted', new DOMException('The quota has been exceeded.', 'QuotaExceededError')));
      }
      return put(...args);
    }) as typeof put;
    const error = await sync((await db.sources.get(source.id))!).catch((e: unknown) => e);
    db.sources.put = put;
    expect(error).toMatchObject({ kind: 'storage-full', transient: false });
    expect(await db.jobs.count()).toBe(0);
    expect(await visiblePosts(source.id)).toBe(before.posts);
    expect((await db.sources.get(source.id))!.commitSha).toBe(before.source.commitSha);
    repo.commit('undo', { remove: added });
  }, 120_000);
});
