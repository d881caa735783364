// Where the memory of a large first sync goes, in real Chromium: syncs the
// 8× society archive (≈122,000 posts; COPIES=32 for ×32) from the local GitHub while sampling the
// service worker's JS heap over the DevTools protocol, then takes a heap
// snapshot at the moment the heap is largest and prints what holds it.
// Not a test: `npx tsx scripts/probe/sync-memory.ts` (several minutes).
// ALLOC=1 says where the service worker allocates what a full collection frees.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { scaleBrowser, workerDevtools } from './scale-browser';
import { sampleExtensionMemory } from '../../test/e2e/support/process-memory';

/** Peak resident memory of each Chromium process, by its type and pid. */
const processPeaks = new Map<string, number>();
/** Where the extension process peaked: seconds into the sync and what its row said then (the sync's phase). */
let extensionPeakAt: { rss: number; s: number; phase: string } | null = null;
let startedAt: number | undefined;
let phase = '';
function sampleProcesses(): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('chromium')) continue;
      const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
      const label = `${type}${cmdline.includes('--extension-process') ? ' (extension)' : ''}${/--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1] ? ` ${/--utility-sub-type=([\w.]+)/.exec(cmdline)![1]}` : ''} ${pid}`;
      const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      if (label.includes('(extension)') && rss > (processPeaks.get(label) ?? 0)) extensionPeakAt = { rss, s: (Date.now() - (startedAt ?? Date.now())) / 1000, phase };
      processPeaks.set(label, Math.max(processPeaks.get(label) ?? 0, rss));
    } catch {
      // gone meanwhile
    }
  }
}

/** CPU seconds used so far by each thread of Chromium's processes and of this one (the local GitHub), by pid/tid, with its process type and thread name. */
function threadCpu(): Map<string, { key: string; seconds: number }> {
  const cpu = new Map<string, { key: string; seconds: number }>();
  const tick = 100; // USER_HZ
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const own = Number(pid) === process.pid;
      if (!own && !cmdline.includes('chromium')) continue;
      const type = own ? 'github' : `${/--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser'}${cmdline.includes('--extension-process') ? ' (extension)' : ''}`;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpu.set(`${pid}/${tid}`, { key: `${type}: ${name}`, seconds: (Number(fields[11]) + Number(fields[12])) / tick });
      }
    } catch {
      // gone meanwhile
    }
  }
  return cpu;
}

/** Each thread's CPU as last sampled: a thread that ends during the sync (the engine's worker) still counts. */
const cpuSeen = new Map<string, { key: string; seconds: number }>();
let cpuSampling = true;
function sampleCpu(): void {
  if (cpuSampling) for (const [id, value] of threadCpu()) cpuSeen.set(id, value);
}

function currentRss(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const SNAPSHOT_AT_MIB = Number(process.env.SNAPSHOT_AT_MIB ?? 250);
// SNAPSHOT_AT_S=30: the heap snapshot that many seconds into the sync instead.
const SNAPSHOT_AT_S = Number(process.env.SNAPSHOT_AT_S ?? 0);
// MEMORY_DUMP_AT_S=40: a memory-infra dump of every process that many seconds into the sync
// (what each allocator holds: malloc, PartitionAlloc, V8, Oilpan, IndexedDB…), for the extension's renderer.
const MEMORY_DUMP_AT_S = Number(process.env.MEMORY_DUMP_AT_S ?? 0);
const { tmp, github, context, extensionId, page } = await scaleBrowser(Number(process.env.COPIES ?? 8), 9444);
const { send, on } = await workerDevtools(9444, extensionId);
const chunks: string[] = [];
on((msg) => {
  if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(msg.params.chunk);
});
await send('HeapProfiler.enable');
const PROFILE = process.env.PROFILE === '1';
// ALLOC=1: where the service worker allocates what outlives a scavenge and
// dies in a full collection (V8's sampling heap profiler): the old space's
// garbage that lets its heap grow by 100+ MiB between full collections.
const ALLOC = process.env.ALLOC === '1';
// ALLOC_AFTER=1: the same, from the moment the sync says it is done (what the background does after a sync).
const ALLOC_AFTER = process.env.ALLOC_AFTER === '1';
let allocating = ALLOC;
let syncProfile: { head: unknown } | null = null;
if (ALLOC) await send('HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true });
if (PROFILE) {
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 1000 });
  await send('Profiler.start');
}

await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
await page.waitForSelector('#repository');
// ENGINE=worker|background: where the sync parses (background/engine-host.ts); unset, as the extension decides.
if (process.env.ENGINE) await page.evaluate(`chrome.storage.local.set({ syncEngine: '${process.env.ENGINE}' })`);
const rss = sampleExtensionMemory('chromium', 250);
await page.fill('#repository', 'NodeBE4/scale');
await page.click('#add-github button[type=submit]');
const started = Date.now();
startedAt = started;
const cpuBefore = threadCpu();
const cpuTimer = setInterval(sampleCpu, 500);
// Each process's peak as the end-to-end run samples it (the loop below samples once a second or less).
const processTimer = setInterval(sampleProcesses, 250);
let peak = 0;
let snapshotTaken = false;
let dumped = false;
let after: number | undefined;
let savingSince: number | undefined;
const MEMORY_DUMP_AT_SAVING_S = Number(process.env.MEMORY_DUMP_AT_SAVING_S ?? -1);
const SNAPSHOT_AT_SAVING_S = Number(process.env.SNAPSHOT_AT_SAVING_S ?? -1);
const samples: string[] = [];
for (;;) {
  sampleProcesses();
  const usage = await send('Runtime.getHeapUsage');
  const used = usage.usedSize / 1048576;
  peak = Math.max(peak, used);
  const words = await page.evaluate(`(document.querySelector('[data-source-id="github:nodebe4/scale"] .sync-words') ?? document.querySelector('[data-source-id="github:nodebe4/scale"] .last-sync'))?.textContent ?? ''`);
  const extensionRss = [...processPeaks.keys()].filter((k) => k.includes('(extension)')).map((k) => currentRss(Number(k.split(' ').pop()))).reduce((a, b) => a + b, 0);
  if (/Saving/.test(String(words))) savingSince ??= Date.now();
  phase = /Saving/.test(String(words)) ? 'committing' : /Synced|Last sync/.test(String(words)) ? 'after' : 'reading';
  samples.push(`${((Date.now() - started) / 1000).toFixed(0)} s: heap ${used.toFixed(0)} MiB of ${(usage.totalSize / 1048576).toFixed(0)}, extension RSS ${extensionRss.toFixed(0)} MiB — ${words}`);
  // SNAPSHOT_AT_SAVING_S=2: the heap snapshot that many seconds into the sync's commit (what is live where a large sync peaks).
  const snapshotNow = SNAPSHOT_AT_SAVING_S >= 0 ? savingSince !== undefined && Date.now() - savingSince >= SNAPSHOT_AT_SAVING_S * 1000 : SNAPSHOT_AT_S ? Date.now() - started > SNAPSHOT_AT_S * 1000 : used > SNAPSHOT_AT_MIB;
  if (!snapshotTaken && snapshotNow) {
    snapshotTaken = true;
    console.log(`heap snapshot at ${used.toFixed(0)} MiB (${words})`);
    await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    writeFileSync(join(tmp, 'sync.heapsnapshot'), chunks.join(''));
    summarise(chunks.join(''));
  }
  // MEMORY_DUMP_AT_SAVING_S=2: the dump that many seconds after the sync starts to commit instead.
  const dumpNow = MEMORY_DUMP_AT_SAVING_S >= 0 ? savingSince !== undefined && Date.now() - savingSince >= MEMORY_DUMP_AT_SAVING_S * 1000 : MEMORY_DUMP_AT_S && Date.now() - started > MEMORY_DUMP_AT_S * 1000;
  if (dumpNow && !dumped) {
    dumped = true;
    console.log(`memory dump at ${((Date.now() - started) / 1000).toFixed(0)} s (${words})`);
    await memoryDump();
  }
  // ALLOC_AT_SAVING=1: from the moment the sync commits (with ALLOC_UNTIL_DONE=1, the commit's allocations only).
  if (process.env.ALLOC_AT_SAVING === '1' && !allocating && /Saving/.test(String(words))) {
    allocating = true;
    await send('HeapProfiler.startSampling', { samplingInterval: 16 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  // A few seconds more: what the background does after a sync (marks, search warm-up) counts too.
  if (ALLOC_AFTER && !allocating && /Synced|failed|Failed/.test(String(words))) {
    allocating = true;
    await send('HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true });
  }
  // ALLOC_UNTIL_DONE=1: the sampling stops as the sync says it is done (the sync's own allocations only).
  if (process.env.ALLOC_UNTIL_DONE === '1' && allocating && !syncProfile && /Synced|failed|Failed/.test(String(words))) {
    syncProfile = (await send('HeapProfiler.stopSampling')).profile;
  }
  if (/Synced|failed|Failed/.test(String(words)) && cpuSampling) {
    sampleCpu();
    cpuSampling = false;
    clearInterval(cpuTimer);
  }
  if (/Synced|failed|Failed/.test(String(words)) && (after ??= Date.now()) < Date.now() - Number(process.env.AFTER_S ?? 8) * 1000) break;
  await new Promise((r) => setTimeout(r, 1000));
}
console.log(samples.join('\n'));
{
  // What the background timed (db/commit.ts): the sync's own time and its stages.
  const last = await page.evaluate(`new Promise((resolve) => {
    const open = indexedDB.open('archivelens');
    open.onsuccess = () => {
      const get = open.result.transaction('sources').objectStore('sources').get('github:nodebe4/scale');
      get.onsuccess = () => { resolve(get.result?.lastSync ?? null); open.result.close(); };
    };
  })`) as { ms?: number; stages?: Record<string, number> } | null;
  const stages = Object.entries(last?.stages ?? {}).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(', ');
  console.log(`sync took ${((last?.ms ?? NaN) / 1000).toFixed(1)} s (the background's measure); stages: ${stages}`);
}
if (process.env.STORES === '1') {
  // What the sync wrote, store by store: rows, and their values' size as the clone would count
  // strings (UTF-16) and buffers; index entries per row where a store has multi-entry indexes.
  const sizes = await page.evaluate(`new Promise((resolve) => {
    const open = indexedDB.open('archivelens');
    open.onsuccess = () => {
      const db = open.result;
      const out = {};
      const size = (v) => typeof v === 'string' ? 2 * v.length : typeof v === 'number' ? 8 : typeof v === 'boolean' || v == null ? 1
        : ArrayBuffer.isView(v) ? v.byteLength : v instanceof ArrayBuffer ? v.byteLength
        : Array.isArray(v) ? v.reduce((a, x) => a + size(x), 0) : Object.entries(v).reduce((a, [k, x]) => a + 2 * k.length + size(x), 0);
      const names = [...db.objectStoreNames];
      let left = names.length;
      for (const name of names) {
        const row = out[name] = { rows: 0, bytes: 0, max: 0, over64k: 0, entries: {} };
        const store = db.transaction(name).objectStore(name);
        const req = store.openCursor();
        req.onsuccess = () => {
          const c = req.result;
          if (!c) { if (--left === 0) resolve(out); return; }
          const b = size(c.value);
          row.rows++; row.bytes += b; row.max = Math.max(row.max, b); if (b > 65536) row.over64k++;
          for (const ix of store.indexNames) {
            const path = store.index(ix).keyPath;
            if (typeof path === 'string' && Array.isArray(c.value[path])) row.entries[ix] = (row.entries[ix] ?? 0) + c.value[path].length;
          }
          c.continue();
        };
      }
    };
  })`) as Record<string, { rows: number; bytes: number; max: number; over64k: number; entries: Record<string, number> }>;
  for (const [name, r] of Object.entries(sizes)) if (r.rows) console.log(`store ${name}: ${r.rows} rows, ${(r.bytes / 1048576).toFixed(1)} MiB, largest ${(r.max / 1024).toFixed(0)} KiB, ${r.over64k} over 64 KiB; entries ${JSON.stringify(r.entries)}`);
}
{
  // Threads that share a name (a pool's) add up; a thread that ended during the sync counts as last sampled.
  const byKey = new Map<string, number>();
  for (const [id, { key, seconds }] of cpuSeen) byKey.set(key, (byKey.get(key) ?? 0) + seconds - (cpuBefore.get(id)?.seconds ?? 0));
  const spent = [...byKey].filter(([, s]) => s >= 0.1);
  console.log(`CPU during the sync: ${spent.reduce((a, [, s]) => a + s, 0).toFixed(1)} s over ${((after ?? Date.now()) - started) / 1000} s`);
  for (const [key, s] of spent.sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`${s.toFixed(1).padStart(7)} s  ${key}`);
}
if (allocating) {
  const { profile } = syncProfile ? { profile: syncProfile } : await send('HeapProfiler.stopSampling');
  // Kept for a closer look (which paths lead to an allocating function).
  writeFileSync(join(tmp, 'allocations.json'), JSON.stringify(profile));
  console.log(`sampled allocations kept in ${join(tmp, 'allocations.json')}`);
  type AllocNode = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: AllocNode[] };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const walk = (node: AllocNode, path: string[]) => {
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    const seen = path.includes(key) ? path : [...path, key];
    let sum = node.selfSize;
    for (const child of node.children) sum += walk(child, seen);
    if (!path.includes(key)) total.set(key, (total.get(key) ?? 0) + sum);
    return sum;
  };
  walk(profile.head, []);
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`sampled allocations of the service worker that outlived a scavenge: ${(all / 1048576).toFixed(0)} MiB; by allocating function:`);
  for (const [key, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(bytes / 1048576).toFixed(1).padStart(8)} MiB  ${key}`);
  console.log('with what they call:');
  for (const [key, bytes] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(bytes / 1048576).toFixed(1).padStart(8)} MiB  ${key}`);
}
if (PROFILE) {
  const { profile } = await send('Profiler.stop');
  writeFileSync(join(tmp, 'sync.cpuprofile'), JSON.stringify(profile));
  const byNode = new Map<number, { callFrame: { functionName: string; url: string; lineNumber: number } }>();
  for (const node of profile.nodes) byNode.set(node.id, node);
  const self = new Map<string, number>();
  profile.samples.forEach((id: number, i: number) => {
    const frame = byNode.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`CPU profile of the service worker: ${(total / 1e6).toFixed(1)} s sampled`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(us / 1e6).toFixed(2).padStart(7)} s  ${key}`);
}
clearInterval(processTimer);
console.log(`peak JS heap of the service worker ${peak.toFixed(0)} MiB; extension processes RSS peak ${(rss.stop().peak / 1048576).toFixed(0)} MiB (baseline ${(rss.baseline / 1048576).toFixed(0)})`);
for (const [label, mib] of [...processPeaks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`peak RSS ${mib.toFixed(0).padStart(5)} MiB  ${label}`);
const peakAt = extensionPeakAt as { s: number; phase: string } | null;
if (peakAt) console.log(`extension process peaked at ${peakAt.s.toFixed(1)} s, ${peakAt.phase}`);
await context.close();
await github.close();
// The browser's profile (the archive's database, hundreds of MiB at ×32) goes; what was written for a reader stays.
for (const entry of readdirSync(tmp)) if (entry.startsWith('profile-')) rmSync(join(tmp, entry), { recursive: true, force: true });

/** Self size by constructor, and the largest single objects, from a V8 heap snapshot. */
function summarise(text: string): void {
  const snap = JSON.parse(text);
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byName = new Map<string, { size: number; count: number }>();
  const nodes: number[] = snap.nodes;
  let total = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'closure' ? snap.strings[nodes[i + nameAt]!] : `(${type})`;
    const size = nodes[i + sizeAt]!;
    total += size;
    const entry = byName.get(name) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    byName.set(name, entry);
  }
  console.log(`snapshot: ${(total / 1048576).toFixed(1)} MiB in ${nodes.length / width} objects`);
  for (const [name, { size, count }] of [...byName].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) {
    console.log(`${(size / 1048576).toFixed(1).padStart(8)} MiB ${String(count).padStart(9)}  ${name.slice(0, 80)}`);
  }
}

/** Allocator sizes of the extension's renderer from a memory-infra dump, over the browser's DevTools connection. */
async function memoryDump(): Promise<void> {
  const version = (await (await fetch('http://127.0.0.1:9444/json/version')).json()) as { webSocketDebuggerUrl: string };
  const browserWs = new WebSocket(version.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
  await new Promise((r) => browserWs.once('open', r));
  let n = 0;
  const waiting = new Map<number, (v: any) => void>();
  const events: any[] = [];
  let complete: () => void = () => {};
  const completed = new Promise<void>((r) => (complete = r));
  browserWs.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && waiting.has(msg.id)) waiting.get(msg.id)!(msg.result ?? msg.error);
    if (msg.method === 'Tracing.dataCollected') events.push(...msg.params.value);
    if (msg.method === 'Tracing.tracingComplete') complete();
  });
  const call = (method: string, params = {}) => new Promise<any>((resolve) => {
    const id = ++n;
    waiting.set(id, resolve);
    browserWs.send(JSON.stringify({ id, method, params }));
  });
  await call('Tracing.start', { traceConfig: { includedCategories: ['disabled-by-default-memory-infra'], excludedCategories: ['*'], memoryDumpConfig: { triggers: [] } }, transferMode: 'ReportEvents' });
  const result = await call('Tracing.requestMemoryDump', { deterministic: false, levelOfDetail: 'detailed' });
  await call('Tracing.end');
  await completed;
  browserWs.close();
  const extensionPid = Number([...processPeaks.keys()].find((k) => k.includes('(extension)'))?.split(' ').pop());
  console.log(`memory dump ${JSON.stringify(result)}: ${events.length} events; extension renderer pid ${extensionPid}`);
  const size = (node: any) => parseInt(node?.attrs?.size?.value ?? '0', 16);
  for (const event of events.filter((e) => e.ph === 'v' && e.pid === extensionPid)) {
    const allocators = event.args?.dumps?.allocators ?? {};
    const rows = Object.entries(allocators)
      .filter(([name]) => name.split('/').length <= Number(process.env.DUMP_DEPTH ?? 2))
      .map(([name, node]) => [name, size(node)] as const)
      .filter(([, bytes]) => bytes > 2 * 1048576)
      .sort((a, b) => b[1] - a[1]);
    for (const [name, bytes] of rows.slice(0, 70)) console.log(`${(bytes / 1048576).toFixed(1).padStart(8)} MiB  ${name}`);
  }
}
