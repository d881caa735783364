// Where Firefox spends its CPU during a large first sync: syncs the society
// archive repeated SCALE times (default 8; HEAVY=1 for the heavy archive)
// from the local GitHub and prints each thread's CPU time over the sync,
// summed by process and thread name, from /proc (a thread that ends before
// the sync does, as the sync engine's worker, is counted up to its last
// sample). Society ×8, December 7, 2026: the engine's worker ("DOM Worker")
// was busy 18.1 s of the sync's 22.2 s, the background page 3.5 s, and the
// parent's IndexedDB threads 2.4 s: Firefox's sync waits on the worker's
// work, not on the database.
// Not a test: `SCALE=8 npx tsx scripts/probe/firefox-cpu.ts` (DIST: another build's folder).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub, GITHUB_HOSTS } from '../../test/support/fake-github';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { launchFirefox } from '../../test/e2e/support/firefox';
import { makeCertificate } from '../../test/e2e/support/tls';
import { addGithubSource } from '../../test/e2e/support/driver';

const SCALE = Number(process.env.SCALE ?? 8);
const tmp = mkdtempSync(join(tmpdir(), 'archivelens-probe-'));
const github = await new FakeGitHub().start(makeCertificate(tmp, GITHUB_HOSTS));
github.addRepo('NodeBE4', 'scale', ArchiveRepo.scaled(SCALE, process.env.HEAVY === '1'));
github.prepareTarball('NodeBE4', 'scale');
const hostMap: Record<string, number> = {};
for (const host of GITHUB_HOSTS) hostMap[host] = github.httpsPort;
const driver = await launchFirefox({ dist: process.env.DIST ?? join(import.meta.dirname, '../../dist/firefox'), tmp, hostMap });
await driver.goto(driver.extensionUrl('src/options/index.html'));
await new Promise((r) => setTimeout(r, 1000));

/** Each thread's CPU ticks when last seen, by pid/tid, with its process's and its own name. */
const threads = new Map<string, { name: string; ticks: number }>();
const FIREFOX = /firefox|Web Content|WebExtensions|Isolated|RDD|Socket|Utility|Privileged|forkserver/i;

function sample(): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let comm: string;
    let tids: string[];
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!FIREFOX.test(comm)) continue;
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // Threads of one kind are numbered (`IndexedDB #3`): summed under one name.
        const thread = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/#?\d+$/, '').trim();
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        threads.set(`${pid}/${tid}`, { name: `${comm}: ${thread}`, ticks: Number(fields[11]) + Number(fields[12]) });
      } catch {
        // ended meanwhile: its last sample stands
      }
    }
  }
}

function byName(): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { name, ticks } of threads.values()) sums.set(name, (sums.get(name) ?? 0) + ticks);
  return sums;
}

sample();
const before = byName();
await addGithubSource(driver, 'NodeBE4/scale');
const started = Date.now();
for (;;) {
  await new Promise((r) => setTimeout(r, 500));
  sample();
  const row = await driver.evaluate<string>(`document.querySelector('[data-source-id="github:nodebe4/scale"]')?.textContent ?? ''`);
  if (/Last sync|failed|Failed/.test(row) || Date.now() - started > 600_000) break;
}
const seconds = (Date.now() - started) / 1000;
console.log(`sync ended after ${seconds.toFixed(1)} s; CPU seconds by thread over it:`);
const ticksPerSecond = 100; // USER_HZ
const spent = [...byName()].map(([name, ticks]) => [name, (ticks - (before.get(name) ?? 0)) / ticksPerSecond] as const);
for (const [name, cpu] of spent.filter(([, cpu]) => cpu >= 0.2).sort((a, b) => b[1] - a[1])) {
  console.log(`${cpu.toFixed(1).padStart(6)} s ${((100 * cpu) / seconds).toFixed(0).padStart(4)} %  ${name}`);
}
await driver.close();
await github.close();
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
