// The scale the archive must hold: NodeBE4/society repeated 8 times with
// derived video ids (≈122,000 posts, what a reader who follows several
// NodeBE4 archives has), synced in a real browser from the local GitHub.
// Prints [measure] lines: sync time, requests, bytes, peak memory of the
// extension's processes, and lookup and search times in the background.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERGE_FROM } from '../../src/db/search-merge';
import { ArchiveRepo, derivedVideoId } from '../support/git-archive-repo';
import { FakeGitHub, GITHUB_HOSTS } from '../support/fake-github';
import { addGithubSource, waitFor, type Driver } from './support/driver';
import { usesWorker } from '../../src/background/engine-host';
import { describeIndexShare, describeStages, lastSyncTimes } from './support/index-share';
import { describeMemory, sampleExtensionMemory, type BrowserName, type MemorySample } from './support/process-memory';
import { describeFirstRequests, describeKeystrokes, describeSearches, PAGE_ASK, percentile, timeFirstRequests, timeKeystrokes, timeSearches } from './support/search-timing';
import { makeCertificate } from './support/tls';
import { channelsToFind, untilUsualTextFound, usualTextRows } from './support/usual-text-pass';

type Launch = (options: { dist: string; tmp: string; hostMap: Record<string, number> }) => Promise<Driver>;
const SOURCE = 'github:nodebe4/scale';
/** Posts in NodeBE4/society (the scale archives repeat it). */
const SOCIETY_POSTS = 15_271;
const ROW = `document.querySelector('[data-source-id="${SOURCE}"]')`;
// Generous hang guards: the sync of 122,000 posts takes a minute or two here, of 489,000 about four.
const SYNC_LIMIT_MS = 900_000;

/** A local GitHub serving the society archive repeated `copies` times as NodeBE4/scale, and a browser pointed at it. */
async function start(browser: string, copies: number, launch: Launch, dist: string, heavy = false) {
  const tmp = mkdtempSync(join(tmpdir(), `archivelens-scale-${browser}-`));
  const github = await new FakeGitHub().start(makeCertificate(tmp, GITHUB_HOSTS));
  github.addRepo('NodeBE4', 'scale', ArchiveRepo.scaled(copies, heavy));
  // As codeload serves it: made ahead, so the sync's time is the extension's, not git's gzip.
  github.prepareTarball('NodeBE4', 'scale', 'HEAD', { keep: true });
  const hostMap: Record<string, number> = {};
  for (const host of GITHUB_HOSTS) hostMap[host] = github.httpsPort;
  return { tmp, github, driver: await launch({ dist, tmp, hostMap }) };
}

/** Adds NodeBE4/scale on the options page and waits for its first sync to end, sampling the extension's memory. */
async function syncFromOptions(browser: BrowserName, driver: Driver): Promise<{ ms: number; done: string; memory: MemorySample }> {
  await driver.goto(driver.extensionUrl('src/options/index.html'));
  await waitFor(driver, `document.querySelector('#repository')`, 'the form');
  const memory = sampleExtensionMemory(browser, 250);
  const started = Date.now();
  await addGithubSource(driver, 'NodeBE4/scale');
  const done = await waitFor<string>(driver, `${ROW}?.querySelector('.last-sync-updated, .last-sync-failed')?.textContent`, 'the end of the sync', SYNC_LIMIT_MS);
  const ms = Date.now() - started;
  return { ms, done, memory: memory.stop() };
}

/** The row says how many posts the source holds: a file each, but twins (files of one post) count once. */
function expectPostsShown(row: string, files: number): void {
  const shown = Number(/([\d,]+) posts/.exec(row)?.[1]?.replaceAll(',', ''));
  expect(shown, row).toBeGreaterThan(files * 0.99);
  expect(shown, row).toBeLessThanOrEqual(files);
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

/** The uncompressed size of the posts of society repeated `copies` times (what a sync stores). */
function postBytes(copies: number, heavy = false): number {
  const repo = ArchiveRepo.scaled(copies, heavy);
  return repo.files().filter((f) => /^(_posts|archived)\/.*\.md$/.test(f)).reduce((n, f) => n + statSync(join(repo.dir, f)).size, 0);
}

/** Prints what the archive takes on disk after the sync (the browser's own estimate) beside its posts' size and the options page's estimate. */
async function printFootprint(browser: string, driver: Driver, copies: number, heavy = false): Promise<void> {
  const usage = await driver.evaluate<number>(`navigator.storage.estimate().then((e) => e.usage)`);
  const shown = await driver.evaluate<string>(`${ROW}.querySelector('.source-main .al-muted').textContent`);
  const posts = postBytes(copies, heavy);
  expect(usage).toBeGreaterThan(0);
  console.log(`[measure] ${browser}: storage after the ${copies}×${heavy ? ' heavy' : ''} sync (navigator.storage.estimate): ${mib(usage)}, ${(usage / posts).toFixed(2)}× the ${mib(posts)} of posts it holds (aim: under 1.5×); the options page says: ${shown.split(' · ')[1] ?? '—'}`);
}

/**
 * Samples the extension's memory from the end of a sync until the background
 * has done what follows it and prints its peak: the index's merge (or the
 * drop of the segments a sync merged as it committed) and then every
 * channel's usual text, which waits for the merge. That work reads the new
 * archive too, and the reader's browser holds it as long as the sync. What
 * `between` does (the popup's first requests) is in it; what the test reads
 * to see the merge is not (in Firefox its pages share the extension's
 * process: waitForMerge lists every row key of the index, megabytes at ×32).
 */
async function watchAfterSync(browser: BrowserName, driver: Driver, archive: string, between: () => Promise<void>): Promise<void> {
  const ended = Date.now();
  const memory = sampleExtensionMemory(browser, 250);
  const before = (await usualTextRows(driver)).stamps;
  const atEnd = await indexAtEnd(driver);
  await between();
  const channels = await channelsToFind(driver);
  expect(channels).toBeGreaterThan(10);
  const done = await untilUsualTextFound(driver, channels, before);
  console.log(`[measure] ${browser}: after the ${archive}, until the background had merged its index and found ${channels} channels' usual text (${((done - ended) / 1000).toFixed(1)} s), ${describeMemory(browser, memory.stop())}`);
  await waitForMerge(browser, driver, archive, atEnd);
}

/** The segments of the index the source answers from, and the most segments of another build of it still stored (rows left to drop). */
function indexNow(driver: Driver): Promise<{ segments: number; left: number }> {
  // `left`: the segments of other builds whose rows are still stored (counted from the rows' keys,
  // `source|gen|build|segment:bucket`: a sync that merges as it commits never stores their docs row).
  return driver.evaluate<{ segments: number; left: number }>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('archivelens');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(['sources', 'searchDocs', 'searchBuckets']);
      const source = tx.objectStore('sources').get('${SOURCE}');
      const all = tx.objectStore('searchDocs').getAll();
      const keys = tx.objectStore('searchBuckets').getAllKeys(IDBKeyRange.bound('${SOURCE}|', '${SOURCE}|\\uffff'));
      tx.oncomplete = () => {
        open.result.close();
        const build = source.result?.searchIndex?.build;
        const docs = all.result.filter((d) => d.sourceId === '${SOURCE}');
        const count = (d) => d.segments?.length ?? 1;
        const others = new Set(keys.result.map((k) => k.split('|')).filter((p) => p[2] !== String(build)).map((p) => p[2] + '|' + (p[3].includes(':') ? p[3].split(':')[0] : '0')));
        resolve({ segments: Math.max(0, ...docs.filter((d) => d.build === build).map(count)), left: others.size });
      };
    };
  })`);
}

/**
 * The source's index as the sync ended: its segments (the source's row says),
 * and whether rows of another build are stored (a sync that merged as it
 * committed left its segments' rows to drop). One key is read for that, not
 * counted: counting the rows read through the index's 150 MiB at ×32, and the
 * popup's first searches after it found their rows cold (Chromium p95 52 and
 * 56 ms, 33 without the count).
 */
function indexAtEnd(driver: Driver): Promise<{ segments: number; oldRows: boolean }> {
  return driver.evaluate<{ segments: number; oldRows: boolean }>(`new Promise((resolve, reject) => {
    const open = indexedDB.open('archivelens');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction(['sources', 'searchBuckets']);
      const source = tx.objectStore('sources').get('${SOURCE}');
      let oldRows = false;
      source.onsuccess = () => {
        const index = source.result?.searchIndex;
        const prefix = '${SOURCE}|' + index?.gen + '|' + index?.build + '|';
        const rows = tx.objectStore('searchBuckets');
        // The first key before the current build's rows, and the first after them.
        for (const range of [IDBKeyRange.bound('${SOURCE}|', prefix, false, true), IDBKeyRange.bound(prefix + '\\uffff', '${SOURCE}|\\uffff')]) {
          const first = rows.openKeyCursor(range);
          first.onsuccess = () => { if (first.result) oldRows = true; };
        }
      };
      tx.onerror = () => reject(tx.error);
      tx.oncomplete = () => {
        open.result.close();
        resolve({ segments: source.result?.searchIndex?.segments ?? 1, oldRows });
      };
    };
  })`);
}

/**
 * Says how the sync's index segments became one (db/search-merge.ts): as the
 * sync committed (from MERGE_FROM segments), or by the background after it,
 * and waits until the rows of the segments are dropped, which the background
 * does after the sync between readers' requests. `atEnd`: the index as the
 * sync ended (indexAtEnd).
 */
async function waitForMerge(browser: string, driver: Driver, archive: string, atEnd: { segments: number; oldRows: boolean }): Promise<void> {
  if (atEnd.segments > 1 && atEnd.segments < MERGE_FROM) {
    console.log(`[measure] ${browser}: the index of the ${archive}: ${atEnd.segments} segments, left as they are (merged from ${MERGE_FROM})`);
    return;
  }
  for (;;) {
    const now = await indexNow(driver);
    if (now.segments <= 1 && now.left === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const merging = (await lastSyncTimes(driver, SOURCE))?.stages?.commitMerge;
  if (atEnd.segments > 1) {
    console.log(`[measure] ${browser}: the index of the ${archive}: ${atEnd.segments} segments merged into one by the background after the sync, before it found channels' usual text`);
  } else if (atEnd.oldRows && merging !== undefined) {
    console.log(`[measure] ${browser}: the index of the ${archive}: merged into one as the sync committed (${(merging / 1000).toFixed(1)} s of it); its segments' rows dropped after the sync, before the background found channels' usual text`);
  } else {
    console.log(`[measure] ${browser}: the index of the ${archive}: one segment`);
  }
}

interface ScaleEnv {
  tmp: string;
  github: FakeGitHub;
  driver: Driver;
}

/** Starts the archive and its browser before a describe's tests and stops them after; the returned object is filled in then. */
function scaleArchive(browser: string, copies: number, launch: Launch, dist: string, heavy = false): ScaleEnv {
  const env = {} as ScaleEnv;
  beforeAll(async () => {
    Object.assign(env, await start(browser, copies, launch, dist, heavy));
  }, 900_000);
  afterAll(async () => {
    await env.driver?.close();
    await env.github?.close();
    if (env.tmp) rmSync(env.tmp, { recursive: true, force: true });
  });
  return env;
}


/**
 * Where a sync parses its posts in this browser on this machine, by the
 * extension's own rule (background/engine-host.ts: Chrome's worker needs an
 * offscreen document). The sync scenarios try the worker's path in both
 * browsers on any machine.
 */
async function engineHere(browser: BrowserName, driver: Driver): Promise<'worker' | 'background'> {
  const cores = await driver.evaluate<number>('navigator.hardwareConcurrency');
  return usesWorker('auto', cores, browser === 'chromium') ? 'worker' : 'background';
}

/** Society repeated `copies` times (8: ≈122,000 posts; 32: ≈489,000), synced, looked up and searched. */
export function defineScaleScenarios(browser: BrowserName, launch: Launch, dist: string, copies = 8): void {
  const posts = SOCIETY_POSTS * copies;
  const about = `≈${Math.round(posts / 1000).toLocaleString('en-US')},000 posts`;
  describe(`The ${copies}× society archive (${about}) in ${browser}`, () => {
    const env = scaleArchive(browser, copies, launch, dist);

    it('syncs it from the options page, and says what it took', async () => {
      const { driver, github } = env;
      const { ms, done, memory } = await syncFromOptions(browser, driver);
      // Everything until the background's work after the sync is done is watched too (watchAfterSync).
      await watchAfterSync(browser, driver, `${copies}× sync`, async () => {
        expect(done).toContain(`Synced: ${posts.toLocaleString('en-US')} new`);
        const bytes = github.log.reduce((n, r) => n + r.bytes, 0);
        console.log(`[measure] ${browser}: full sync of the ${copies}× society archive took ${ms} ms, ${github.log.length} requests, ${bytes} bytes served`);
        console.log(`[measure] ${browser}: during the ${copies}× sync, ${describeMemory(browser, memory)}`);
        const times = await lastSyncTimes(driver, SOURCE);
        expect(times?.indexMs).toBeGreaterThan(0);
        expect(times?.parsedIn).toBe(await engineHere(browser, driver));
        console.log(`[measure] ${browser}: of the ${copies}× sync, ${describeIndexShare(times!)}; stages: ${describeStages(times!)}`);
        expectPostsShown(await driver.evaluate<string>(`${ROW}.textContent`), posts);
        // Chromium's comes at the sync's pace (background/download-pacing.ts): nothing of it piles up, nothing goes to disk.
        if (browser === 'chromium') expect(times?.stages?.spool).toBeUndefined();
        // Firefox usually keeps this download on disk (it outruns the sync: sync/spool.ts); nothing of it is left.
        expect(await driver.evaluate<number>(`caches.has('archivelens-downloads').then((has) => has ? caches.open('archivelens-downloads').then((c) => c.keys()).then((keys) => keys.length) : 0)`)).toBe(0);
        console.log(`[measure] ${browser}: the popup's first requests as the ${copies}× sync ends: ${describeFirstRequests(await timeFirstRequests(driver))}`);
      });
      await printFootprint(browser, driver, copies);
    }, SYNC_LIMIT_MS + 60_000);

    it('answers lookups and searches in the background, and says how fast', async () => {
      const { driver } = env;
      // From an extension page, through the same message protocol as the panel and the popup.
      const ids = [...new Set(['GorsYGIeIK4', ...[1, 2, 3, 4, 5, 6, 7].map((k) => derivedVideoId('GorsYGIeIK4', k))])];
      const { searches, totals, videos } = await timeSearches(driver, ids);
      const timings = await driver.evaluate<{ lookups: number[]; found: number[]; retried: number }>(`(async () => {
        ${PAGE_ASK}
        const lookups = [], found = [];
        // Each video once: the background's cache never answers these.
        for (const videoId of ${JSON.stringify(videos.slice(0, 60))}) {
          const t = performance.now();
          const r = await ask({ type: 'lookup', videoId });
          lookups.push(performance.now() - t);
          found.push(r.value.archived.length);
        }
        return { lookups, found, retried: globalThis.retried ?? 0 };
      })()`);
      if (timings.retried) console.log(`[measure] ${browser}: at ${about}, ${timings.retried} request(s) found no background and were sent again`);
      // The society video and its seven derived copies are each archived once.
      expect(timings.found.slice(0, 8)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      console.log(`[measure] ${browser}: lookup at ${about}: p50 ${percentile(timings.lookups, 0.5).toFixed(1)} ms, p95 ${percentile(timings.lookups, 0.95).toFixed(1)} ms (${timings.lookups.length} distinct videos, through the message protocol)`);
      // Copies of the society archive: as many times its answers (bench/run.ts counts 1,521 at 1×),
      // and the built-in sample's; the same in either script.
      expect(totals[0]).toBe(totals[1]);
      expect(totals[0]).toBeGreaterThanOrEqual(copies * 1521);
      console.log(`[measure] ${browser}: search in the background at ${about}: ${describeSearches(searches)}`);
      const index = await driver.evaluate<{ grams: number; bytes: number; posts: number; segments: number }>(`new Promise((resolve, reject) => {
        const open = indexedDB.open('archivelens');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('searchDocs').objectStore('searchDocs').getAll();
          all.onsuccess = () => resolve(all.result.reduce((n, d) => ({ grams: n.grams + d.grams, bytes: n.bytes + d.bytes, posts: n.posts + d.times.length, segments: n.segments + (d.segments?.length ?? 1) }), { grams: 0, bytes: 0, posts: 0, segments: 0 }));
        };
      })`);
      console.log(`[measure] ${browser}: search index at ${about}: ${index.grams} gram lists in ${index.segments} segments, ${(index.bytes / 1024 / 1024).toFixed(1)} MiB of posting lists for ${index.posts} posts`);
    }, 300_000);

    it('shows search results in the popup on every keystroke, and says how fast', async () => {
      const { driver } = env;
      await driver.goto(driver.extensionUrl('src/popup/index.html'));
      await waitFor(driver, `document.querySelector('#search')`, 'the popup');
      const times = await timeKeystrokes(driver);
      console.log(`[measure] ${browser}: popup results on screen after a keystroke at ${about}: ${describeKeystrokes(times)}`);
      expect(await driver.evaluate<number>(`document.querySelectorAll('.search-result').length`)).toBeGreaterThan(0);
    }, 300_000);
  });
}

/**
 * An archive of NodeBE4/teahouse's size (29,591 posts): society twice
 * (30,542 posts). Teahouse itself is not here; its first sync is the figure
 * the issue names (aim: under 15 s), and this is the nearest measure of it.
 */
export function defineTeahouseSizeScenario(browser: 'chromium', launch: Launch, dist: string): void {
  describe(`An archive of teahouse's size (society twice, ≈30,500 posts) in ${browser}`, () => {
    const env = scaleArchive(browser, 2, launch, dist);

    it('syncs it from the options page, and says what it took', async () => {
      const { driver, github } = env;
      const { ms, done, memory } = await syncFromOptions(browser, driver);
      expect(done).toMatch(/Synced: 30,5\d{2} new/);
      const bytes = github.log.reduce((n, r) => n + r.bytes, 0);
      console.log(`[measure] ${browser}: full sync of an archive of teahouse's size (society twice, 30,542 posts) took ${ms} ms, ${github.log.length} requests, ${bytes} bytes served; ${describeMemory(browser, memory)}`);
      const times = await lastSyncTimes(driver, SOURCE);
      expect(times?.indexMs).toBeGreaterThan(0);
      expect(times?.parsedIn).toBe(await engineHere(browser, driver));
      console.log(`[measure] ${browser}: of the sync of teahouse's size, ${describeIndexShare(times!)}; stages: ${describeStages(times!)}`);
    }, SYNC_LIMIT_MS + 60_000);
  });
}

/**
 * A heavy archive: society ×8 with every description three times longer
 * (posts twice society's size on average), as real archives' posts are
 * about three times society's. Prints its sync's throughput in MB of posts
 * a second beside time and memory.
 */
export function defineHeavyArchiveScenario(browser: BrowserName, launch: Launch, dist: string): void {
  const copies = 8;
  const posts = SOCIETY_POSTS * copies;
  describe(`A heavy archive (society ×8, descriptions three times longer) in ${browser}`, () => {
    const env = scaleArchive(browser, copies, launch, dist, true);

    it('syncs it from the options page, and says what it took', async () => {
      const { driver, github } = env;
      const { ms, done, memory } = await syncFromOptions(browser, driver);
      await watchAfterSync(browser, driver, 'heavy sync', async () => {
        expect(done).toContain(`Synced: ${posts.toLocaleString('en-US')} new`);
        const bytes = postBytes(copies, true);
        console.log(`[measure] ${browser}: full sync of the heavy archive (${posts.toLocaleString('en-US')} posts, ${mib(bytes)}) took ${ms} ms: ${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB of posts a second, ${github.log.length} requests`);
        console.log(`[measure] ${browser}: during the heavy sync, ${describeMemory(browser, memory)}`);
        const times = await lastSyncTimes(driver, SOURCE);
        console.log(`[measure] ${browser}: of the heavy sync, ${describeIndexShare(times!)}; stages: ${describeStages(times!)}`);
        expectPostsShown(await driver.evaluate<string>(`${ROW}.textContent`), posts);
      });
      await printFootprint(browser, driver, copies, true);
    }, SYNC_LIMIT_MS * 2);
  });
}
