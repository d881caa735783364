// The society archive repeated SCALE times (default 8) synced in Firefox
// from the local GitHub, printing the source's row on the options page every
// five seconds (where a large sync spends its time, or where it stops).
// Not a test: `npx tsx scripts/probe/firefox-scale.ts`.
import { mkdtempSync } from 'node:fs';
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
github.addRepo('NodeBE4', 'scale', ArchiveRepo.scaled(SCALE));
github.prepareTarball('NodeBE4', 'scale');
const hostMap: Record<string, number> = {};
for (const host of GITHUB_HOSTS) hostMap[host] = github.httpsPort;
const driver = await launchFirefox({ dist: join(import.meta.dirname, '../../dist/firefox'), tmp, hostMap });
await driver.goto(driver.extensionUrl('src/options/index.html'));
await new Promise((r) => setTimeout(r, 1000));
await addGithubSource(driver, 'NodeBE4/scale');
const started = Date.now();
for (;;) {
  await new Promise((r) => setTimeout(r, 5000));
  const row = await driver.evaluate<string>(`document.querySelector('[data-source-id="github:nodebe4/scale"]')?.textContent ?? '(no row)'`);
  console.log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${row.slice(0, 300)}`);
  if (/Last sync|failed|Failed/.test(row) || Date.now() - started > 600_000) break;
}
if (process.env.AFTER) {
  const { lastSyncTimes } = await import('../../test/e2e/support/index-share');
  console.log('last sync', JSON.stringify(await lastSyncTimes(driver, 'github:nodebe4/scale')));
  console.log('timings', JSON.stringify(await driver.evaluate(`(async () => {
    let t = performance.now();
    await chrome.runtime.sendMessage({ type: 'stats' });
    const stats = performance.now() - t;
    t = performance.now();
    const walked = await new Promise((resolve, reject) => {
      const open = indexedDB.open('archivelens');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        let n = 0;
        const cursor = open.result.transaction('posts').objectStore('posts').index('videoIds').openKeyCursor(null, 'nextunique');
        cursor.onsuccess = () => { if (cursor.result) { n++; cursor.result.continue(); } else { open.result.close(); resolve(n); } };
      };
    });
    return { statsMs: stats, walked, walkMs: performance.now() - t };
  })()`)));
}
await driver.close();
await github.close();
process.exit(0);
