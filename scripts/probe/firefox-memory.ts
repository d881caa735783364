// Where the memory of Firefox's extension process goes during a large first
// sync: syncs the society archive repeated SCALE times (default 8) from the
// local GitHub in Firefox and has Firefox write about:memory's report at each
// of AT seconds (comma-separated) after the sync starts, through its FIFO
// trigger (memory_info_dumper.watch_fifo). The reports (.json.gz) are left in
// the printed folder; `explicit/window-objects/…_generated_background_page…`
// is the background page, `explicit/workers/…` the sync engine's worker.
// EXTRA_PREFS adds prefs as JSON; ENGINE=worker|background picks where the sync parses; VERBOSE=1 prints the source's row each second.
// Not a test: `SCALE=32 AT=40,80 npx tsx scripts/probe/firefox-memory.ts`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub, GITHUB_HOSTS } from '../../test/support/fake-github';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { launchFirefox } from '../../test/e2e/support/firefox';
import { makeCertificate } from '../../test/e2e/support/tls';
import { addGithubSource } from '../../test/e2e/support/driver';

const SCALE = Number(process.env.SCALE ?? 8);

/** Resident MiB of Firefox's WebExtensions process (background page and worker), 0 when none. */
function extensionRss(): number {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'WebExtensions') continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(rollup)?.[1] ?? 0);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const st = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024);
      return `${Math.round(kb('Rss') / 1024)} MiB (anon ${st('RssAnon')}, file ${st('RssFile')}, shmem ${st('RssShmem')})` as unknown as number;
    } catch {
      // gone meanwhile
    }
  }
  return 0;
}
const AT = (process.env.AT ?? '15').split(',').map(Number);
const tmp = mkdtempSync(join(tmpdir(), 'archivelens-probe-'));
const reports = join(tmp, 'reports');
mkdirSync(reports);
process.env.FIREFOX_PREFS = JSON.stringify({ 'memory_info_dumper.watch_fifo.enabled': true, 'memory_info_dumper.watch_fifo.directory': reports, ...JSON.parse(process.env.EXTRA_PREFS ?? '{}') });
const github = await new FakeGitHub().start(makeCertificate(tmp, GITHUB_HOSTS));
// HEAVY=1: the heavy archive (descriptions three times longer, as the real archives' posts are).
github.addRepo('NodeBE4', 'scale', ArchiveRepo.scaled(SCALE, process.env.HEAVY === '1'));
github.prepareTarball('NodeBE4', 'scale');
// Firefox writes its reports in its temporary folder.
process.env.TMPDIR = reports;
const hostMap: Record<string, number> = {};
for (const host of GITHUB_HOSTS) hostMap[host] = github.httpsPort;
// DIST: another build's folder (an A/B comparison of two builds).
const driver = await launchFirefox({ dist: process.env.DIST ?? join(import.meta.dirname, '../../dist/firefox'), tmp, hostMap });
await driver.goto(driver.extensionUrl('src/options/index.html'));
await new Promise((r) => setTimeout(r, 1000));
// ENGINE=worker|background: where the sync parses (background/engine-host.ts); unset, as the extension decides.
if (process.env.ENGINE) await driver.evaluate(`browser.storage.local.set({ syncEngine: '${process.env.ENGINE}' })`);
console.log('reports dir', reports, readdirSync(reports));
// REPORT_BEFORE=1: a report just before the sync starts (what the extension holds before it: the measure's baseline).
if (process.env.REPORT_BEFORE) {
  writeFileSync(join(reports, 'debug_info_trigger'), process.env.MINIMIZE ? 'minimize memory report\n' : 'memory report\n');
  await new Promise((r) => setTimeout(r, 4000));
  console.log(`before the sync: ${extensionRss()} MiB`);
}
await addGithubSource(driver, 'NodeBE4/scale');
const started = Date.now();
const pending = [...AT];
let savedReport = false;
// The extension process's peak, sampled as the end-to-end run samples it (every 100 ms).
let peak = 0;
/** The peak before the sync's commit began (its row says Saving) and during it, and when it began. */
const phasePeak = { reading: 0, saving: 0 };
let savingSince = 0;
/** And its mean over the sync (the peak alone varies by 100 MiB and more between runs of a large sync). */
let sum = 0;
let samples = 0;
// TIMELINE=1: every sample kept, and the highest moments printed with what came just before and after (a peak of 100–250 ms).
const timeline: { t: number; rss: number; anon: number; shmem: number }[] = [];
/** When the sync's row said it ended. */
let syncEnded = 0;
const sampler = setInterval(() => {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'WebExtensions') continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
      const rss = field('VmRSS');
      if (process.env.TIMELINE) timeline.push({ t: Date.now(), rss, anon: field('RssAnon'), shmem: field('RssShmem') });
      peak = Math.max(peak, rss);
      if (savingSince) phasePeak.saving = Math.max(phasePeak.saving, rss);
      else phasePeak.reading = Math.max(phasePeak.reading, rss);
      sum += rss;
      samples++;
    } catch {
      // gone meanwhile
    }
  }
}, 100);
for (;;) {
  await new Promise((r) => setTimeout(r, 1000));
  const s = (Date.now() - started) / 1000;
  const row = await driver.evaluate<string>(`document.querySelector('[data-source-id="github:nodebe4/scale"]')?.textContent ?? '(no row)'`);
  if (!savingSince && /Saving/.test(row)) savingSince = Date.now();
  // AT_SAVING=1: a report a second into the sync's commit (where a large sync peaks); AT_SAVING=1,2,3 one at each.
  if (process.env.AT_SAVING && /Saving/.test(row) && !savedReport) {
    savedReport = true;
    pending.unshift(...process.env.AT_SAVING.split(',').map((after) => s + Number(after)));
  }
  if (pending.length && s >= pending[0]!) {
    pending.shift();
    console.log(`${s.toFixed(0)} s: memory report — ${row.slice(0, 120)}`);
    writeFileSync(join(reports, 'debug_info_trigger'), process.env.MINIMIZE ? 'minimize memory report\n' : 'memory report\n');
  }
  if (process.env.VERBOSE) console.log(`${s.toFixed(0)} s: ${extensionRss()} MiB — ${row.slice(0, 160)}`);
  if (/Last sync|failed|Failed/.test(row) || s > 600) {
    console.log(`${s.toFixed(0)} s: ${row.slice(0, 200)}`);
    console.log(`sync ended after ${((Date.now() - started) / 1000).toFixed(1)} s; extension process peak ${Math.round(peak)} MiB, mean ${Math.round(sum / Math.max(1, samples))} MiB`);
    if (process.env.TIMELINE) console.log(`the first 15 s peaked at ${Math.round(Math.max(0, ...timeline.filter((x) => x.t - started < 15_000).map((x) => x.rss)))} MiB`);
    if (savingSince) console.log(`reading peaked at ${Math.round(phasePeak.reading)} MiB; the commit (from ${((savingSince - started) / 1000).toFixed(1)} s) at ${Math.round(phasePeak.saving)} MiB`);
    if (process.env.TIMELINE) printPeaks();
    // What the background does after the sync (dropping rows, usual text) is sampled apart.
    peak = 0;
    syncEnded = Date.now();
    break;
  }
}
// REPORT_AFTER=1: a report as the sync ends too (what the background page keeps: the search's cache of the index's list of posts).
if (process.env.REPORT_AFTER) writeFileSync(join(reports, 'debug_info_trigger'), process.env.MINIMIZE ? 'minimize memory report\n' : 'memory report\n');
// AFTER_AT=3,6: reports that many seconds after the sync ended (what the background does then).
for (const after of (process.env.AFTER_AT ?? '').split(',').filter(Boolean).map(Number)) {
  await new Promise((r) => setTimeout(r, Math.max(0, syncEnded + after * 1000 - Date.now())));
  console.log(`${after} s after the sync: memory report`);
  writeFileSync(join(reports, 'debug_info_trigger'), process.env.MINIMIZE ? 'minimize memory report\n' : 'memory report\n');
}
await new Promise((r) => setTimeout(r, Math.max(0, syncEnded + Number(process.env.AFTER_MS ?? 15000) - Date.now())));
clearInterval(sampler);
console.log(`in the ${Number(process.env.AFTER_MS ?? 15000) / 1000} s after the sync: extension process peak ${Math.round(peak)} MiB`);
// TIMELINE=1: the highest moments after the sync too (what the background does then: usual text, membership).
if (process.env.TIMELINE) printPeaks(syncEnded);
console.log(readdirSync(reports));
await driver.close();
await github.close();
// The profile (the archive's database, hundreds of MiB at ×32) goes; the reports stay.
for (const entry of readdirSync(tmp)) if (entry !== 'reports') rmSync(join(tmp, entry), { recursive: true, force: true });
process.exit(0);

/** The five highest samples at least a second apart (from `from` on), each with the samples around it. */
function printPeaks(from = 0): void {
  const taken: number[] = [];
  for (const i of timeline.map((_, i) => i).filter((i) => timeline[i]!.t >= from).sort((a, b) => timeline[b]!.rss - timeline[a]!.rss)) {
    if (taken.length >= 5) break;
    if (taken.some((j) => Math.abs(timeline[j]!.t - timeline[i]!.t) < 1000)) continue;
    taken.push(i);
    const around = timeline.slice(Math.max(0, i - 5), i + 6).map((x) => `${Math.round(x.rss)}${x.shmem > 1 ? `(shm ${Math.round(x.shmem)})` : ''}`).join(' ');
    console.log(`peak ${Math.round(timeline[i]!.rss)} MiB at ${((timeline[i]!.t - started) / 1000).toFixed(1)} s (anon ${Math.round(timeline[i]!.anon)}); samples around it: ${around}`);
  }
}
