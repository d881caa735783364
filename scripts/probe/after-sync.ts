// What the background does in the seconds after a large sync, and how long a
// search waits meanwhile: syncs the society archive repeated SCALE times
// (default 8), then searches back to back for SECONDS (default 4) from the
// moment the options page says "Synced", printing each search's time and
// the worker's busiest functions over that window. Not a test:
// `npx tsx scripts/probe/after-sync.ts`.
import { scaleBrowser, workerDevtools } from './scale-browser';
import { SEARCHES } from '../../test/e2e/support/search-timing';

const SCALE = Number(process.env.SCALE ?? 8);
const SECONDS = Number(process.env.SECONDS ?? 4);
// FIRST=1: the end-to-end run's first requests instead (stats, then each of its searches once), each printed.
const FIRST = process.env.FIRST === '1';
const { context, extensionId, page } = await scaleBrowser(SCALE, 9448);
await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
await page.waitForSelector('#repository');
const { send } = await workerDevtools(9448, extensionId);
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 200 });
await page.fill('#repository', 'NodeBE4/scale');
await page.click('#add-github button[type=submit]');
await page.waitForSelector('[data-source-id="github:nodebe4/scale"] .last-sync-updated', { timeout: 900_000 });
await send('Profiler.start');
const times = (await page.evaluate(`(async () => {
  const out = [];
  const start = performance.now();
  const queries = ${JSON.stringify(FIRST ? SEARCHES : ['罗宾', '的', 'covid', '中國 經濟'])};
  if (${FIRST}) {
    await chrome.runtime.sendMessage({ type: 'stats' });
    out.push([0, +(performance.now() - start).toFixed(1)]);
  }
  for (let i = 0; ${FIRST} ? i < queries.length : performance.now() - start < ${SECONDS * 1000}; i++) {
    const t = performance.now();
    await chrome.runtime.sendMessage({ type: 'search', query: queries[i % queries.length], limit: 30 });
    out.push([Math.round(t - start), +(performance.now() - t).toFixed(1)]);
  }
  return out;
})()`)) as [number, number][];
const { profile } = await send('Profiler.stop');
if (FIRST) console.log(`stats ${times[0]![1]} ms; ${SEARCHES.map((q, i) => `${q} ${times[i + 1]![1]}`).join(', ')}`);
console.log(`${times.length} searches; over 20 ms: ${times.filter(([, ms]) => ms > 20).map(([at, ms]) => `${ms} ms at ${at}`).join(', ') || 'none'}`);
const sorted = times.map(([, ms]) => ms).sort((a, b) => a - b);
console.log(`p50 ${sorted[sorted.length >> 1]} ms, p95 ${sorted[Math.floor(sorted.length * 0.95)]} ms, slowest ${sorted.at(-1)} ms`);
type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
const byNode = new Map<number, Node>((profile.nodes as Node[]).map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes as Node[]) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
const total = new Map<string, number>();
profile.samples.forEach((sample: number, i: number) => {
  const seen = new Set<string>();
  for (let n: number | undefined = sample; n !== undefined; n = parent.get(n)) {
    const key = label(byNode.get(n)!);
    if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    seen.add(key);
  }
});
for (const [k, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
// Stretches of 15 ms or more without a pause in the worker, and what ran in them the most.
let at = 0;
interface Stretch { start: number; end: number; names: Map<string, number> }
let stretch = null as Stretch | null;
const stretches: Stretch[] = [];
profile.samples.forEach((sample: number, i: number) => {
  at += profile.timeDeltas[i] ?? 0;
  const node = byNode.get(sample)!;
  if (node.callFrame.functionName === '(idle)') {
    if (stretch && stretch.end - stretch.start >= 15_000) stretches.push(stretch);
    stretch = null;
    return;
  }
  stretch ??= { start: at, end: at, names: new Map() };
  stretch.end = at;
  for (let n: number | undefined = sample; n !== undefined; n = parent.get(n)) {
    const key = label(byNode.get(n)!);
    stretch.names.set(key, (stretch.names.get(key) ?? 0) + 1);
  }
});
for (const s of stretches) {
  const names = [...s.names].sort((a, b) => b[1] - a[1]).slice(2, 8).map(([k]) => k).join(' · ');
  console.log(`busy ${((s.end - s.start) / 1000).toFixed(0)} ms from ${((s.start) / 1000).toFixed(0)} ms: ${names}`);
}

await context.close();
process.exit(0);
