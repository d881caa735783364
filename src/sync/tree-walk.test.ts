// Syncing an archive GitHub will not list in one answer (more than 100,000
// entries or about 7 MB): the local GitHub cuts society's listing at 3,000
// entries, as the real one cuts a large archive's (archived/ alone holds 2,210).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engineOverPort } from '../../test/support/engine-port';
import { useEngine } from '../engine/session';
import { git, type ArchiveRepo } from '../../test/support/git-archive-repo';
import { useSocietyOnGitHub, type FakeGitHub } from '../../test/support/fake-github';
import { seedText } from '../../test/support/archives';
import { countStored } from '../../test/support/stored-posts';
import { filesOf } from '../db/files';
import { openArchive, type ArchiveDb, type SourceRecord } from '../db/schema';
import { Http } from './http';
import { syncGithub } from './github-sync';
import type { SyncProgress } from './progress';
import { githubSource } from './sources';
import { WALK_REQUESTS } from './tree-walk';

let github: FakeGitHub;
let repo: ArchiveRepo;
let db: ArchiveDb;
let n = 0;
let start: string;

const society$ = useSocietyOnGitHub({ beforeAll, afterAll });
beforeEach(async () => {
  github = society$.github();
  repo = society$.repo();
  start = repo.head();
  db = openArchive(`walk-${++n}`);
  github.clearLog();
  github.rateLimit.remaining = 60;
  github.treeLimit = { entries: 3000, bytes: 7_000_000 };
});
afterEach(() => {
  github.treeLimit = { entries: 100_000, bytes: 7_000_000 };
  repo.restore(start);
});

const SOURCE = 'github:nodebe4/society';
const society = () => ({ ...githubSource({ repository: 'NodeBE4/society' }), github: { ...githubSource({ repository: 'NodeBE4/society' }).github!, branch: 'master' } });

async function run(source: SourceRecord) {
  const progress: SyncProgress[] = [];
  const http = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [1, 1, 1] });
  if (!(await db.sources.get(source.id))) await db.sources.put(source);
  const outcome = await syncGithub({ db, http, token: null, report: (p) => progress.push(p) }, (await db.sources.get(source.id))!);
  return { outcome, progress };
}

const requests = () => github.log.map((r) => `${r.host}${r.path.replace(/[0-9a-f]{40}/, 'SHA')}`);

/** Git's own answer: the post files and their blob shas, and the trees in the folders. */
function gitTruth() {
  const files = new Map<string, string>();
  const trees: Record<string, string> = {};
  for (const line of git(repo.dir, 'ls-tree', '-r', '-t', '-z', 'HEAD').split('\0').filter(Boolean)) {
    const [meta, path] = [line.slice(0, line.indexOf('\t')), line.slice(line.indexOf('\t') + 1)];
    const [, type, sha] = meta.split(' ');
    if (!/^(_posts|archived)(\/|$)/.test(path)) continue;
    if (type === 'tree') trees[path] = sha!;
    else if (path.endsWith('.md')) files.set(path, sha!);
  }
  return { files, trees };
}

async function storedFiles(): Promise<Map<string, string>> {
  const source = (await db.sources.get(SOURCE))!;
  return new Map([...(await filesOf(db, SOURCE, source.gen ?? 0)).values()].map((f) => [f.path, f.sha]));
}

describe("a first sync, while GitHub lists the archive's files", () => {
  /** Holds the listing's answer until the sync has read `posts` posts without it. */
  function holdListingUntilRead(posts: number): { progress: SyncProgress[]; report: (p: SyncProgress) => void } {
    let release!: () => void;
    github.slowUntil = new Promise<void>((r) => (release = r));
    github.fault('slow', 'api.github.com', '/git/trees/', 1);
    const progress: SyncProgress[] = [];
    return { progress, report: (p) => {
      progress.push(p);
      if (p.phase === 'reading' && p.done >= posts) release();
    } };
  }
  afterEach(() => {
    github.slowUntil = null;
  });

  it('reads the tarball meanwhile, and stores what a sync that waited for the listing stores', async () => {
    github.treeLimit = { entries: 100_000, bytes: 7_000_000 };
    const { progress, report } = holdListingUntilRead(1000);
    const http = new Http({ fetch: github.fetch, signal: new AbortController().signal, backoffMs: [1, 1, 1] });
    await db.sources.put(society());
    const outcome = await syncGithub({ db, http, token: null, report }, (await db.sources.get(SOURCE))!);
    expect(outcome).toMatchObject({ result: 'updated', mode: 'full' });
    const truth = gitTruth();
    expect(await storedFiles()).toEqual(truth.files);
    expect((await db.sources.get(SOURCE))!.trees).toEqual(truth.trees);
    // The first thousand posts counted without a total; the rest out of the listing's count.
    const reading = progress.filter((p) => p.phase === 'reading');
    expect(reading.filter((p) => p.total === 0).length).toBeGreaterThan(0);
    expect(reading.at(-1)).toMatchObject({ done: truth.files.size, total: truth.files.size });
    expect(requests().filter((r) => r.includes('codeload')).length).toBe(1);
  }, 120_000);

  it('stops, leaving the archive as it was, when the listing fails; the download is not tried again for it', async () => {
    github.treeLimit = { entries: 100_000, bytes: 7_000_000 };
    // As many as the sync asks (once and three retries): none is left for the next test.
    github.fault('status-500', 'api.github.com', '/git/trees/', 4);
    await expect(run(society())).rejects.toMatchObject({ kind: 'server' });
    const source = (await db.sources.get(SOURCE))!;
    expect(source.commitSha).toBeUndefined();
    expect(await countStored(db, SOURCE)).toBe(0);
    // Asked again as the sync's retries allow; the tarball once.
    expect(requests().filter((r) => r.includes('/git/trees/')).length).toBe(4);
    expect(requests().filter((r) => r.includes('codeload')).length).toBe(1);
  }, 120_000);
});

describe('an archive too large for one listing', () => {
  it('is read whole the first time, counting without a total, and its trees are known for the next sync', async () => {
    const { outcome, progress } = await run(society());
    expect(outcome).toMatchObject({ result: 'updated', mode: 'full' });
    const truth = gitTruth();
    expect(await storedFiles()).toEqual(truth.files);
    // The listing was cut short, so nobody knows how many files there are: no made-up total.
    const reading = progress.filter((p) => p.phase === 'reading');
    expect(reading.at(-1)!.done).toBe(truth.files.size);
    expect(reading.every((p) => p.total === 0)).toBe(true);
    // 1,841 trees of _posts/ and archived/, computed from the tarball, are git's.
    const source = (await db.sources.get(SOURCE))!;
    expect(Object.keys(source.trees!).length).toBe(Object.keys(truth.trees).length);
    expect(source.trees).toEqual(truth.trees);
  }, 120_000);

  it('is read so too when the sync engine runs in a worker, which hashes the files as it unpacks them', async () => {
    const { link, requests, channel } = engineOverPort();
    useEngine(link);
    try {
      const { outcome } = await run(society());
      expect(outcome).toMatchObject({ result: 'updated', mode: 'full' });
      expect(requests.get('write')).toBeGreaterThan(10);
      const truth = gitTruth();
      expect(await storedFiles()).toEqual(truth.files);
      expect((await db.sources.get(SOURCE))!.trees).toEqual(truth.trees);
    } finally {
      useEngine(null);
      link.close();
      channel.port1.close();
    }
  }, 120_000);

  it('then lists only the trees that changed, and ends as a full sync would', async () => {
    await run(society());
    const files = repo.files().filter((f) => /^(_posts|archived)\/.*\.md$/.test(f));
    const toMove = files.find((f) => f.startsWith('_posts/'))!;
    // From day folders that keep other files (a folder emptied is gone from the root's listing).
    const dirOf = (f: string) => f.slice(0, f.lastIndexOf('/'));
    const perDir = new Map<string, number>();
    for (const f of files) perDir.set(dirOf(f), (perDir.get(dirOf(f)) ?? 0) + 1);
    const crowded = (year: string) => files.find((f) => f.startsWith(`archived/${year}-`) && perDir.get(dirOf(f))! > 2)!;
    const toEdit = crowded('2021');
    const toDelete = crowded('2022');
    repo.commit('a day of the archive job', {
      write: { '_posts/2026-11-28-new.md': seedText(), [toEdit]: repo.read(toEdit).replace(/^title: "(.*)"$/m, 'title: "$1 (edited)"') },
      move: { [toMove]: `archived/2099-01-01/${toMove.slice('_posts/'.length)}` },
      remove: [toDelete],
    });
    const before = await countStored(db, SOURCE);
    github.clearLog();
    const { outcome, progress } = await run((await db.sources.get(SOURCE))!);
    expect(outcome).toMatchObject({ result: 'updated', mode: 'incremental', counts: { added: 1, changed: 1, removed: 1, moved: 1 } });
    // The cut listing, the root, _posts/ and archived/ (each on its own), and the three day folders
    // that changed (one new); then the new and the edited post. No tarball.
    const listed = requests().filter((r) => r.includes('/git/trees/'));
    expect(listed).toHaveLength(7);
    expect(listed.filter((r) => r.endsWith('?recursive=1'))).toHaveLength(4);
    expect(requests().filter((r) => r.startsWith('raw.githubusercontent.com'))).toHaveLength(2);
    expect(requests().some((r) => r.startsWith('codeload'))).toBe(false);
    expect(progress.at(-1)!.total).toBe(2);
    const truth = gitTruth();
    expect(await storedFiles()).toEqual(truth.files);
    expect((await db.sources.get(SOURCE))!.trees).toEqual(truth.trees);
    // The deleted post is kept, as after any sync.
    expect(await countStored(db, SOURCE)).toBe(before + 1);

    // A commit outside the folders: the root says both folders are as they were.
    repo.commit('readme', { write: { 'README.md': '# society, again\n' } });
    github.clearLog();
    expect((await run((await db.sources.get(SOURCE))!)).outcome).toMatchObject({ result: 'updated', mode: 'incremental', counts: { added: 0, changed: 0 } });
    expect(requests().filter((r) => r.includes('/git/trees/'))).toHaveLength(2);
    expect(await storedFiles()).toEqual(gitTruth().files);
  }, 120_000);

  it(`reads the tarball again when more than ${WALK_REQUESTS} trees changed, rather than spend the hour's requests`, async () => {
    await run(society());
    const days = [...new Set(repo.files('archived').map((f) => f.split('/').slice(0, 2).join('/')).filter((d) => /\d{4}-\d\d-\d\d$/.test(d)))];
    const edits: Record<string, string> = {};
    for (const day of days.slice(0, WALK_REQUESTS + 5)) {
      const file = repo.files(day).find((f) => f.endsWith('.md'))!;
      edits[file] = `${repo.read(file)}\n`;
    }
    repo.commit('many days', { write: edits });
    github.clearLog();
    const { outcome } = await run((await db.sources.get(SOURCE))!);
    expect(outcome).toMatchObject({ result: 'updated', mode: 'full' });
    expect(requests().filter((r) => r.includes('/git/trees/')).length).toBeLessThanOrEqual(WALK_REQUESTS + 1);
    expect(requests().filter((r) => r.startsWith('codeload'))).toHaveLength(1);
    const truth = gitTruth();
    expect(await storedFiles()).toEqual(truth.files);
    expect((await db.sources.get(SOURCE))!.trees).toEqual(truth.trees);
  }, 120_000);
});
