// What the browser's IndexedDB backend spends on the sync's writes, by layout:
// society's posts packed as a sync packs them (db/post-packs.ts), written
// COPIES times (default 8, ids derived per copy) in batches of 125 packs
// (2,000 posts) into a page's database in real Chromium, while the browser
// process's CPU time is read from /proc. Variants (VARIANTS, comma-separated):
//   indexed   the packs store's indexes as the schema has them
//   bare      no index but the primary key
//   nokeys    without `*keys`          novideos  without `*videoIds`
//   seqkeys   `*keys` entries in ascending order (is it their order?)
//   utf8      each post's text as UTF-8 bytes (is it the bytes?)
//   numbers   `*keys` and `*videoIds` as 53-bit hashes (is it the entries' size?)
//   joined    a pack's posts as one string (is it the strings' count?)
//   deflate   a pack's posts as one deflate-raw'd UTF-8 buffer, compressed in the page (CompressionStream)
//   bare-deflate  both
//   outofline  no index and no key path (the key given with each put): no clone of the value to read keys from
//   nokeys-nomentions  without `*keys` and `*mentionIds`
// Not a test: `npx tsx scripts/probe/idb-writes.ts` (a few minutes).
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { isPostFile } from '../../src/core/archive-files';
import { readEntry } from '../../src/core/read-entry';
import { newPacks } from '../../src/db/post-packs';
import { toRecord } from '../../src/db/import';
import { CHROMIUM } from '../../test/e2e/support/chromium';

const COPIES = Number(process.env.COPIES ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const VARIANTS = (process.env.VARIANTS ?? 'indexed,bare,nokeys,novideos').split(',');
const TICKS = 100; // USER_HZ: /proc's CPU times are in these

/** CPU seconds a process has used, all its threads. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(/\s+/);
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** The browser process of the profile, and every renderer (one page here). */
function processes(profile: string): { browser: number; renderers: number[] } {
  let browser = 0;
  const renderers: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(profile) && !cmdline.includes('--type=')) browser = Number(pid);
      else if (cmdline.includes('--type=renderer')) renderers.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return { browser, renderers };
}

const dir = extractedSociety();
const records = listFiles(dir)
  .filter((f) => isPostFile(f, ['_posts', 'archived']))
  .flatMap((path) => {
    const data = new Uint8Array(readFileSync(join(dir, path)));
    const read = readEntry(path, data, data.length, 'x'.repeat(40));
    return read.result.ok ? [toRecord('github:nodebe4/society', 1, read.result.post)] : [];
  });
const packs = JSON.stringify(newPacks(records));
console.log(`${records.length} posts in ${JSON.parse(packs).length} packs, ×${COPIES}`);

const PAGE = `<!doctype html><script>
const hash = (text) => {
  let h = 0x811c9dc5, g = 0;
  for (let i = 0; i < text.length; i++) { h = Math.imul(h ^ text.charCodeAt(i), 0x01000193); g = Math.imul(g ^ text.charCodeAt(i), 0x85ebca6b) + 1; }
  return (h >>> 0) * 2 ** 21 + ((g >>> 0) & 0x1fffff);
};
window.writeAll = async (variant, copies) => {
  const packs = await (await fetch('/packs.json')).json();
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('probe-' + variant, 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('posts', variant === 'outofline' ? {} : { keyPath: 'key' });
      if (variant.startsWith('bare') || variant === 'outofline') return;
      if (!variant.startsWith('nokeys')) store.createIndex('keys', 'keys', { multiEntry: true });
      if (variant !== 'novideos') store.createIndex('videoIds', 'videoIds', { multiEntry: true });
      if (variant !== 'nokeys-nomentions') store.createIndex('mentionIds', 'mentionIds', { multiEntry: true });
      store.createIndex('sourceGen', ['sourceId', 'gen']);
      store.createIndex('removedKeys', 'removedKeys', { multiEntry: true });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const utf8 = new TextEncoder();
  const deflate = async (text) => new Uint8Array(await new Response(new Response(utf8.encode(text)).body.pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  const started = performance.now();
  let stored = 0;
  let entries = 0;
  let saving = Promise.resolve();
  for (let copy = 0; copy < copies; copy++) {
    for (let i = 0; i < packs.length; i += 125) {
      const batch = await Promise.all(packs.slice(i, i + 125).map(async (p) => ({
        ...p,
        key: p.key + '~' + copy,
        keys: variant === 'seqkeys' ? p.keys.map((_, j) => p.key + '~' + copy + '#' + String(j).padStart(2, '0')) : variant === 'numbers' ? p.keys.map((k) => hash(k + copy)) : p.keys.map((k) => k + copy),
        videoIds: variant === 'numbers' ? p.videoIds.map((v) => hash(v + copy)) : p.videoIds.map((v) => v + copy),
        mentionIds: p.mentionIds.map((v) => v + copy),
        posts: variant === 'utf8' ? p.posts.map((t) => utf8.encode(t)) : variant === 'joined' ? p.posts.join('\u0001') : variant.endsWith('deflate') ? await deflate(p.posts.join('\u0001')) : p.posts,
      })));
      for (const p of batch) entries += p.videoIds.length + p.mentionIds.length;
      for (const p of batch) stored += typeof p.posts === 'string' ? p.posts.length * 2 : p.posts.byteLength ?? p.posts.reduce((a, t) => a + (t.length ?? t.byteLength), 0);
      await saving; // one batch saving while the next is made, as a sync does
      saving = new Promise((resolve, reject) => {
        const tx = db.transaction('posts', 'readwrite', { durability: 'relaxed' });
        for (const pack of batch) variant === 'outofline' ? tx.objectStore('posts').put(pack, pack.key) : tx.objectStore('posts').put(pack);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
  }
  await saving;
  db.close();
  return [performance.now() - started, stored, entries];
};
</script>`;

const server = createServer((req, res) => {
  res.setHeader('content-type', req.url === '/packs.json' ? 'application/json' : 'text/html');
  res.end(req.url === '/packs.json' ? packs : PAGE);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

for (let round = 1; round <= ROUNDS; round++) {
  for (const variant of VARIANTS) {
    const profile = mkdtempSync(join(tmpdir(), 'al-idb-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/`);
    const { browser, renderers } = processes(profile);
    const before = { browser: cpuSeconds(browser), renderers: renderers.reduce((sum, pid) => sum + cpuSeconds(pid), 0) };
    const [ms, stored, entries] = await page.evaluate(([v, c]) => (window as unknown as { writeAll(v: string, c: number): Promise<[number, number, number]> }).writeAll(v, c), [variant, COPIES] as [string, number]);
    const browserCpu = cpuSeconds(browser) - before.browser;
    const rendererCpu = renderers.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - before.renderers;
    console.log(`${variant}, round ${round}: ${(ms / 1000).toFixed(1)} s, posts ${(stored / 1048576).toFixed(0)} MiB (strings as UTF-16), ${entries} video and mention entries; CPU: browser process ${browserCpu.toFixed(1)} s, page ${rendererCpu.toFixed(1)} s`);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
server.close();
