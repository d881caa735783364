// Where a search's time goes in the background of real Chromium: syncs the
// society archive repeated SCALE times (default 8) from the local GitHub, times
// the end-to-end queries (first and second round), then profiles ROUNDS more
// rounds of them in the service worker and prints the functions with the most
// self and total time. Not a test: `SCALE=1 npx tsx scripts/probe/search-chromium.ts`.
import { writeFileSync } from 'node:fs';
import { SEARCHES } from '../../test/e2e/support/search-timing';
import { scaleBrowser, workerDevtools } from './scale-browser';

const SCALE = Number(process.env.SCALE ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const { github, context, extensionId, page } = await scaleBrowser(SCALE, 9445);
await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
await page.waitForSelector('#repository');
await page.fill('#repository', 'NodeBE4/scale');
await page.click('#add-github button[type=submit]');
const started = Date.now();
await page.waitForSelector('[data-source-id="github:nodebe4/scale"] .last-sync-updated, [data-source-id="github:nodebe4/scale"] .last-sync-failed', { timeout: 900_000 });
console.log(`synced in ${Date.now() - started} ms: ${await page.textContent('[data-source-id="github:nodebe4/scale"]')}`);
if (process.env.WAIT_MS) await new Promise((r) => setTimeout(r, Number(process.env.WAIT_MS)));

const round = () => page.evaluate(`(async () => {
  const times = [];
  for (const query of ${JSON.stringify(SEARCHES)}) {
    const t = performance.now();
    await chrome.runtime.sendMessage({ type: 'search', query, limit: 30 });
    times.push(performance.now() - t);
  }
  return times;
})()`) as Promise<number[]>;
const { send } = await workerDevtools(9445, extensionId);
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 100 });
// The first round as a reader meets it after the sync (cold rows and code), then warm rounds.
await send('Profiler.start');
const first = await round();
summarise((await send('Profiler.stop')).profile, 'first round');
const second = await round();
console.log(SEARCHES.map((q, i) => `${q} ${first[i]!.toFixed(1)}/${second[i]!.toFixed(1)}`).join(', '));
await send('Profiler.start');
const sums = SEARCHES.map(() => 0);
for (let r = 0; r < ROUNDS; r++) (await round()).forEach((t, i) => (sums[i] = sums[i]! + t));
summarise((await send('Profiler.stop')).profile, `${ROUNDS} warm rounds`);
console.log(`mean of ${ROUNDS} warm rounds: ` + SEARCHES.map((q, i) => `${q} ${(sums[i]! / ROUNDS).toFixed(1)}`).join(', '));
await context.close();
await github.close();

function summarise(profile: any, what: string): void {
  writeFileSync(`/tmp/search-chromium-${what.replaceAll(' ', '-')}.cpuprofile`, JSON.stringify(profile));
  type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
  const byNode = new Map<number, Node>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes as Node[]) {
    byNode.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node.id);
  }
  const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((sample: number, i: number) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(label(byNode.get(sample)!), (self.get(label(byNode.get(sample)!)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let n: number | undefined = sample; n !== undefined; n = parent.get(n)) {
      const key = label(byNode.get(n)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + dt);
    }
  });
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`${what}: sampled ${(all / 1000).toFixed(0)} ms; self:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  console.log('total:');
  for (const [k, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
