// Importing archives the user has as files: .tar.gz, GitHub's "Download ZIP", folders.
import { countStored } from '../../test/support/stored-posts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openAsBlob, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EDGE_CASES, listFiles, seedText, SOCIETY_TARBALL } from '../../test/support/archives';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { writeZip } from '../../test/support/zip-writer';
import { lookupVideo } from '../db/queries';
import { removeSource } from '../db/import';
import { bundleSource, githubSource } from './sources';
import { searchPosts } from '../db/search';
import { edgeCase } from '../../test/support/archives';
import { openArchive, type ArchiveDb } from '../db/schema';
import { importArchive, type ArchiveInput } from './file-import';
import type { SyncProgress } from './progress';

let db: ArchiveDb;
let n = 0;
let repo: ArchiveRepo;
beforeAll(() => {
  repo = ArchiveRepo.society();
}, 120_000);
afterAll(() => repo?.dispose());
beforeEach(() => {
  db = openArchive(`file-import-${++n}`);
});

async function run(input: ArchiveInput, signal = new AbortController().signal) {
  const progress: SyncProgress[] = [];
  const result = await importArchive(db, input, { signal, report: (p) => progress.push(p) });
  return { ...result, progress };
}

const folder = (name: string, files: Record<string, string | Uint8Array>): ArchiveInput => ({
  kind: 'folder',
  name,
  files: Object.entries(files).map(([path, content]) => ({ path: `${name}/${path}`, file: new Blob([content as BlobPart]) })),
});

describe('importing an archive file', () => {
  it('reads the society .tar.gz as it streams, with progress by bytes', async () => {
    const { source, counts, progress } = await run({ kind: 'file', name: 'society-posts.tar.gz', file: await openAsBlob(SOCIETY_TARBALL) });
    expect(counts.added).toBe(15271);
    expect(source.failures).toEqual([]);
    expect(source.postCount).toBe(await countStored(db));
    expect((await lookupVideo(db, 'GorsYGIeIK4')).archived).toHaveLength(1);
    expect(progress.some((p) => (p.fraction ?? 0) > 0.5 && (p.fraction ?? 0) < 1)).toBe(true);
  }, 120_000);

  it('reads a zip as GitHub’s "Download ZIP" makes it, with the site configuration for links', async () => {
    const zip = execFileSync('git', ['archive', '--format=zip', '--prefix=society-master/', 'HEAD'], { cwd: repo.dir, maxBuffer: 1 << 30 });
    const { source, counts } = await run({ kind: 'file', name: 'society-master.zip', file: new Blob([zip]) });
    expect(counts.added).toBe(15271);
    expect(source.site?.baseurl).toBe('/society');
    const { archived } = await lookupVideo(db, 'GorsYGIeIK4');
    expect(archived[0]!.postUrl).toMatch(/^https:\/\/nodebe4\.github\.io\/society\//);
  }, 120_000);

  it('reads a cloned folder', async () => {
    const files = listFiles(EDGE_CASES).map((path) => ({ path: `edge-cases/${path}`, file: new Blob([readFileSync(join(EDGE_CASES, path))]) }));
    // The edge cases keep two archives side by side; import the teahouse half as one folder.
    const th = files.filter((f) => f.path.startsWith('edge-cases/th/')).map((f) => ({ ...f, path: f.path.replace('edge-cases/th/', 'teahouse/') }));
    const { counts, source } = await run({ kind: 'folder', name: 'teahouse', files: th });
    expect(counts.added).toBe(th.length);
    expect(source.failures).toEqual([]);
  });

  it('searches what a source holds now after it is removed and added again in the same worker (its generations start again at 1)', async () => {
    const kol = edgeCase('#27 如何成為KOL');
    const first = await run(folder('again', { '_posts/2025-02-02-seed.md': seedText() }));
    expect((await searchPosts(db, '深度求索')).total).toBe(1);
    await removeSource(db, first.source.id);
    // The same name again, holding another post: the same source id, generation 1 again.
    const second = await run(folder('again', { '_posts/2025-02-03-kol.md': kol.text }));
    expect(second.source.id).toBe(first.source.id);
    expect(second.source.gen).toBe(first.source.gen);
    expect((await searchPosts(db, '深度求索')).total).toBe(0);
    const found = await searchPosts(db, '如何成為KOL');
    expect(found.posts.map((p) => p.title)).toEqual([expect.stringContaining('如何成為KOL')]);
  });

  it("reads a zip's _config.yml before its posts wherever the zip holds it, so every post's date is in the site's time zone", async () => {
    const post = (n: number) => `---\nlayout: post\ntitle: "post ${n}"\ndate: 2025-02-02 12:00:00\nfrom: https://www.youtube.com/watch?v=GorsYGIeIK${n}\ntags: [ 某頻道 ]\n---\ntext ${n}\n`;
    const encode = (text: string) => new TextEncoder().encode(text);
    // _config.yml last, as a hand-made zip may have it.
    const zip = writeZip([
      { path: 'late-main/_posts/2025-02-02-a.md', data: encode(post(1)) },
      { path: 'late-main/_posts/2025-02-02-b.md', data: encode(post(2)) },
      { path: 'late-main/_config.yml', data: encode('timezone: Asia/Taipei\n') },
    ]);
    await run({ kind: 'file', name: 'late-config.zip', file: new Blob([zip as BlobPart]) });
    for (const id of ['GorsYGIeIK1', 'GorsYGIeIK2']) expect((await lookupVideo(db, id)).archived[0]!.date).toBe('2025-02-02T04:00:00.000Z');
  });

  it("reads a tar.gz's _config.yml before its posts even when the tar lists it last (as tar does for files added last)", async () => {
    const post = (n: number) => `---\nlayout: post\ntitle: "post ${n}"\ndate: 2025-02-02 12:00:00\nfrom: https://www.youtube.com/watch?v=GorsYGIeIK${n}\ntags: [ 某頻道 ]\n---\ntext ${n}\n`;
    const dir = mkdtempSync(join(tmpdir(), 'archivelens-late-tar-'));
    try {
      execFileSync('mkdir', ['-p', join(dir, 'late-main/_posts')]);
      writeFileSync(join(dir, 'late-main/_posts/2025-02-02-a.md'), post(3));
      writeFileSync(join(dir, 'late-main/_posts/2025-02-02-b.md'), post(4));
      writeFileSync(join(dir, 'late-main/_config.yml'), 'timezone: Asia/Taipei\n');
      const tarball = join(dir, 'late-config.tar.gz');
      // Files in the order named: the posts, then the configuration.
      execFileSync('tar', ['-czf', tarball, '-C', dir, 'late-main/_posts/2025-02-02-a.md', 'late-main/_posts/2025-02-02-b.md', 'late-main/_config.yml']);
      expect(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').at(-1)).toBe('late-main/_config.yml');
      const { counts } = await run({ kind: 'file', name: 'late-config.tar.gz', file: await openAsBlob(tarball) });
      expect(counts.added).toBe(2);
      for (const id of ['GorsYGIeIK3', 'GorsYGIeIK4']) expect((await lookupVideo(db, id)).archived[0]!.date).toBe('2025-02-02T04:00:00.000Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps an earlier archive of the same file name when the reader says to keep both, and replaces it when told to', async () => {
    const kol = edgeCase('#27 如何成為KOL');
    const first = await run(folder('same', { '_posts/2025-02-02-seed.md': seedText() }));
    const progress: SyncProgress[] = [];
    const both = await importArchive(db, folder('same', { '_posts/2025-02-03-kol.md': kol.text }), { signal: new AbortController().signal, report: (p) => progress.push(p), sameName: 'keep-both' });
    expect(both.source.id).not.toBe(first.source.id);
    expect(both.source.name).toBe('same (2)');
    expect((await db.sources.toArray()).map((s) => s.name).sort()).toEqual(['same', 'same (2)']);
    expect((await searchPosts(db, '深度求索')).total).toBe(1);
    expect((await searchPosts(db, '如何成為KOL')).total).toBe(1);
    // Replacing: the first source now holds this file's posts.
    const replaced = await importArchive(db, folder('same', { '_posts/2025-02-03-kol.md': kol.text }), { signal: new AbortController().signal, report: () => {}, sameName: 'replace' });
    expect(replaced.source.id).toBe(first.source.id);
    expect((await searchPosts(db, '深度求索')).total).toBe(0);
    expect((await searchPosts(db, '如何成為KOL')).total).toBe(2);
  });

  it('never makes a source id with "|" in it (rows are keyed by `${sourceId}|${gen}|…` and read by that prefix)', async () => {
    const { source } = await run(folder('a|1', { '_posts/2025-02-02-seed.md': seedText() }));
    expect(source.id).not.toContain('|');
    expect(source.name).toBe('a|1');
    expect(githubSource({ repository: 'NodeBE4/society', branch: 'x|1' }).id).not.toContain('|');
    expect(githubSource({ repository: 'NodeBE4/society', branch: 'x|1' }).id).not.toBe(githubSource({ repository: 'NodeBE4/society', branch: 'x%7C1' }).id);
    expect(bundleSource('https://example.org/a|b.ndjson.gz').id).not.toContain('|');
  });

  it('lists thousands of broken posts with their paths, and imports the rest', async () => {
    const files: Record<string, string | Uint8Array> = { '_posts/2025-02-02-seed.md': seedText() };
    for (let i = 0; i < 3000; i++) files[`_posts/broken-${String(i).padStart(4, '0')}.md`] = `broken ${i}`;
    files['_posts/latin1.md'] = new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x74, 0xe9, 0x0a]);
    const { source } = await run(folder('mixed', files));
    expect(source.postCount).toBe(1);
    expect(source.failureCount).toBe(3001);
    expect(source.failures!.find((f) => f.path === '_posts/broken-2999.md')).toMatchObject({ reason: 'no-front-matter' });
    expect(source.failures!.find((f) => f.path === '_posts/latin1.md')).toMatchObject({ reason: 'not-utf8' });
  });
});

describe('importing what is not an archive', () => {
  beforeEach(async () => {
    await run(folder('kept', { '_posts/2025-02-02-seed.md': seedText() }));
  });
  const intact = async () => {
    expect(await countStored(db)).toBe(1);
    expect(await db.staged.count()).toBe(0);
    expect((await lookupVideo(db, '-VWLP6-06Jc')).archived).toHaveLength(1);
  };

  it('refuses a file that is not a zip or a tar, and loses nothing', async () => {
    await expect(run({ kind: 'file', name: 'photo.jpg', file: new Blob([new Uint8Array(4096).fill(0xff)]) })).rejects.toMatchObject({
      kind: 'bad-archive', message: 'photo.jpg is not a .zip, .tar.gz or .tar archive.',
    });
    await intact();
  });

  it('refuses a truncated zip and a corrupt gzip, and loses nothing', async () => {
    const zip = execFileSync('git', ['archive', '--format=zip', 'HEAD', '_posts'], { cwd: repo.dir, maxBuffer: 1 << 30 });
    // A download that stopped early: the central directory at the end is missing.
    await expect(run({ kind: 'file', name: 'cut.zip', file: new Blob([zip.subarray(0, zip.length >> 1)]) })).rejects.toMatchObject({
      kind: 'bad-archive', message: expect.stringContaining('cut.zip could not be read'),
    });
    const gz = readFileSync(SOCIETY_TARBALL);
    const broken = Buffer.concat([gz.subarray(0, 100_000), Buffer.alloc(50_000, 7), gz.subarray(150_000, 300_000)]);
    await expect(run({ kind: 'file', name: 'broken.tar.gz', file: new Blob([broken]) })).rejects.toMatchObject({ kind: 'bad-archive' });
    await intact();
  });

  it('refuses a 1 GB file that is not an archive at once, and skips a 1 GB "post" in a folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archivelens-big-'));
    const big = join(dir, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3); // sparse: takes no disk space
    const blob = await openAsBlob(big);
    await expect(run({ kind: 'file', name: 'big.bin', file: blob })).rejects.toMatchObject({ kind: 'bad-archive' });
    const { source } = await run({
      kind: 'folder', name: 'kept',
      files: [{ path: 'kept/_posts/2025-02-02-seed.md', file: new Blob([seedText()]) }, { path: 'kept/_posts/huge.md', file: blob }],
    });
    expect(source.failures).toEqual([{ path: '_posts/huge.md', reason: 'too-large', message: expect.stringContaining('too large to be a post') }]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a zip bomb as a post too large to read, in bounded memory, and imports the rest', async () => {
    // 64 MiB of zeros, deflated to about 64 KiB, behind a header that claims 100 bytes.
    const zip = writeZip([
      { path: 'bomb-master/_posts/2025-02-02-seed.md', data: new TextEncoder().encode(seedText()) },
      { path: 'bomb-master/_posts/2025-02-03-bomb.md', data: new Uint8Array(64 * 1024 * 1024), declaredSize: 100 },
      { path: 'bomb-master/_posts/../../escape.md', data: new TextEncoder().encode(seedText()) },
    ]);
    const { source, counts } = await run({ kind: 'file', name: 'bomb.zip', file: new Blob([zip as BlobPart]) });
    expect(counts.added).toBe(2);
    expect(source.postCount).toBe(1);
    expect(source.failures).toEqual([{ path: '_posts/2025-02-03-bomb.md', reason: 'too-large', message: expect.stringContaining('too large to be a post') }]);
  });

  it('refuses a repository with no posts', async () => {
    await expect(run(folder('code', { 'src/index.js': 'x', 'README.md': '# hi' }))).rejects.toMatchObject({ kind: 'not-an-archive' });
    await intact();
  });

  it('leaves the archive as it was when cancelled', async () => {
    const controller = new AbortController();
    const input: ArchiveInput = { kind: 'file', name: 'kept', file: await openAsBlob(SOCIETY_TARBALL) };
    const pending = importArchive(db, input, { signal: controller.signal, report: (p) => p.done > 2000 && controller.abort() });
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    await intact();
  }, 60_000);
});
