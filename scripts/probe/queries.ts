// How fast lookups, searches and the popup answer at scale, in real Chromium,
// as the scale scenarios measure them, ROUNDS times over: syncs the society
// archive repeated SCALE times (default 32) once into PROFILE_DIR (kept, so
// a later run with a new build skips the sync), waits for the index's
// merge, then times. PROFILE=1 profiles the service worker over the lookups
// and searches. COLD=1 instead times the first requests after the service
// worker starts again (stopped as Chrome stops an idle one). Not a test:
// `PROFILE_DIR=/tmp/q32 npx tsx scripts/probe/queries.ts` (the first run
// syncs: about 4 minutes at ×32).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { MERGE_FROM } from '../../src/db/search-merge';
import { derivedVideoId } from '../../test/support/git-archive-repo';
import { PAGE_ASK, percentile, SEARCHES, timeKeystrokes } from '../../test/e2e/support/search-timing';
import { scaleBrowser, syncScale, workerDevtools } from './scale-browser';

const SCALE = Number(process.env.SCALE ?? 32);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PROFILE_DIR = process.env.PROFILE_DIR;
const synced = PROFILE_DIR !== undefined && existsSync(`${PROFILE_DIR}/synced`);
const port = 9451;
// Chrome keeps an extension's service worker scripts in the profile and runs
// them again while the registration it noted stands: forgetting both makes
// it register the new build (the archive, in IndexedDB, stays).
if (synced) {
  rmSync(`${PROFILE_DIR}/Default/Service Worker`, { recursive: true, force: true });
  const prefsPath = `${PROFILE_DIR}/Default/Preferences`;
  const prefs = JSON.parse(readFileSync(prefsPath, 'utf8'));
  for (const settings of Object.values(prefs.extensions?.settings ?? {}) as { service_worker_registration_info?: unknown }[]) delete settings.service_worker_registration_info;
  writeFileSync(prefsPath, JSON.stringify(prefs));
}
const { github, context, extensionId, page } = await scaleBrowser(SCALE, port, PROFILE_DIR);
if (!synced) {
  const started = Date.now();
  await syncScale({ page, extensionId });
  console.log(`synced ${SCALE}× in ${Date.now() - started} ms`);
  if (PROFILE_DIR) writeFileSync(`${PROFILE_DIR}/synced`, '');
}
if (process.env.COLD) {
  // The first requests after the service worker starts again, as after Chrome stopped an idle one (30 s).
  await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS ?? 30000)));
  const cdp = await context.newCDPSession(page);
  await page.goto('about:blank');
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await new Promise((r) => setTimeout(r, 1000));
  await page.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
  const times = await page.evaluate(`(async () => {
    const out = [];
    for (const message of [{ type: 'stats' }, { type: 'search', query: '罗宾', limit: 30 }, { type: 'search', query: '中國 經濟', limit: 30 }, { type: 'lookup', videoId: 'GorsYGIeIK4' }]) {
      const t = performance.now();
      await chrome.runtime.sendMessage(message);
      out.push(message.type + ' ' + (performance.now() - t).toFixed(0) + ' ms');
    }
    return out.join(', ');
  })()`);
  console.log(`after a start: ${times}`);
  const devtools = await workerDevtools(port, extensionId);
  // Timings a build under study may leave in globalThis.__qt (none in the product).
  console.log(JSON.stringify((await devtools.send('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__qt ?? [])', returnByValue: true })).result.value));
  await context.close();
  await github.close();
  process.exit(0);
}
await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
// The merge of the sync's segments (db/search-merge.ts) ends before timing.
for (;;) {
  const segments = (await page.evaluate(`new Promise((resolve) => {
    const open = indexedDB.open('archivelens');
    open.onsuccess = () => {
      const all = open.result.transaction('searchDocs').objectStore('searchDocs').getAll();
      all.onsuccess = () => { open.result.close(); resolve(Math.max(0, ...all.result.map((d) => d.segments?.length ?? 1))); };
    };
  })`)) as number;
  if (segments <= 1 || segments < MERGE_FROM) break;
  await new Promise((r) => setTimeout(r, 500));
}
const { send } = await workerDevtools(port, extensionId);
const ids = ['GorsYGIeIK4', ...[1, 2, 3, 4, 5, 6, 7].map((k) => derivedVideoId('GorsYGIeIK4', k))];

const searchRound = () => page.evaluate(`(async () => {
  ${PAGE_ASK}
  await ask({ type: 'stats' });
  const searches = [];
  const videos = new Set(${JSON.stringify(ids)});
  for (const query of ${JSON.stringify(SEARCHES)}) for (const round of [0, 1]) {
    const t = performance.now();
    const r = await ask({ type: 'search', query, limit: 30 });
    searches.push(performance.now() - t);
    for (const post of r.value.posts) if (post.videoId) videos.add(post.videoId);
  }
  return { searches, videos: [...videos] };
})()`) as Promise<{ searches: number[]; videos: string[] }>;

const lookupRound = (videos: string[]) => page.evaluate(`(async () => {
  ${PAGE_ASK}
  const out = [];
  for (const videoId of ${JSON.stringify(videos)}) {
    const t = performance.now();
    const r = await ask({ type: 'lookup', videoId });
    out.push([performance.now() - t, r.value.archived.length, r.value.mentionedTotal ?? r.value.mentioned.length]);
  }
  return out;
})()`) as Promise<[number, number, number][]>;

if (process.env.PROFILE) {
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  await send('Profiler.start');
}
for (let r = 0; r < ROUNDS; r++) {
  // Restarting the service worker between rounds would be the cold case; the scenario's is a worker that just synced.
  const { searches, videos } = await searchRound();
  if (process.env.QT) {
    // Timings a build under study may leave in globalThis.__qt (none in the product).
    console.log(JSON.stringify((await send('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__qt ?? []); ', returnByValue: true })).result.value));
    await send('Runtime.evaluate', { expression: 'globalThis.__qt = []' });
  }
  // Other copies' videos each round: the background's cache of lookups never answers them.
  const asked = videos.slice(0, 60).map((v) => derivedVideoId(v, 3 * r));
  const lookups = await lookupRound(asked);
  if (process.env.QT) {
    console.log(JSON.stringify((await send('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__qt ?? []); ', returnByValue: true })).result.value));
    await send('Runtime.evaluate', { expression: 'globalThis.__qt = []' });
  }
  const slow = lookups.map((l, i) => [asked[i], ...l] as const).sort((a, b) => b[1] - a[1]).slice(0, 4);
  console.log(`round ${r}: search p50 ${percentile(searches, 0.5).toFixed(1)} p95 ${percentile(searches, 0.95).toFixed(1)} ms (${SEARCHES.map((q, i) => `${q} ${searches[2 * i]!.toFixed(0)}/${searches[2 * i + 1]!.toFixed(0)}`).join(', ')})`);
  console.log(`round ${r}: lookup p50 ${percentile(lookups.map((l) => l[0]), 0.5).toFixed(1)} p95 ${percentile(lookups.map((l) => l[0]), 0.95).toFixed(1)} ms; slowest ${slow.map((s) => `${s[0]} ${s[1].toFixed(1)} ms (${s[2]} archived, ${s[3]} mentions)`).join(', ')}`);
}
if (process.env.PROFILE) writeFileSync('/tmp/queries.cpuprofile', JSON.stringify((await send('Profiler.stop')).profile));
const popup = await context.newPage();
await popup.goto(`chrome-extension://${extensionId}/src/popup/index.html`);
await popup.waitForSelector('#search');
const driverLike = { evaluate: <T>(src: string) => popup.evaluate(src) as Promise<T> };
for (let r = 0; r < ROUNDS; r++) {
  const times = await timeKeystrokes(driverLike as never);
  console.log(`popup round ${r}: p50 ${percentile(times, 0.5).toFixed(0)} p95 ${percentile(times, 0.95).toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(' ')})`);
  await popup.reload();
  await popup.waitForSelector('#search');
}
await context.close();
await github.close();
