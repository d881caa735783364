// `npx tsx bench/idb-records.ts [copies] [chromium|firefox]`: what a record
// costs in a real browser's IndexedDB, on society's own posts (repeated
// `copies` times with derived keys). Compares how the archive could lay its
// posts out: one record per post with the indexes the archive has, or packs
// of N posts (each post as JSON text, with multi-entry indexes of their
// keys, videos and mentioned videos), written in transactions of 500 posts
// as a sync writes them; then reads 50 random posts, as a search does.
// Prints one line per layout; asserts nothing. Issue 19's note quotes it.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { decodePostBytes, postPath } from '../src/core/archive-files';
import { parsePost } from '../src/core/post';
import { readTar } from '../src/core/tar';
import { toRecord } from '../src/db/import';
import { SOCIETY_TARBALL } from '../test/support/archives';

const copies = Number(process.argv[2] ?? 2);
const layouts = (process.env.LAYOUTS ?? 'posts,packs:8,packs:16,packs:64').split(',');

async function societyRecords(): Promise<unknown[]> {
  const raw = gunzipSync(readFileSync(SOCIETY_TARBALL));
  const records: unknown[] = [];
  for await (const entry of readTar((async function* () { yield raw; })())) {
    const path = entry.data && postPath(entry.path);
    if (!path) continue;
    const text = decodePostBytes(entry.data!);
    if (!text.ok) continue;
    const parsed = parsePost(text.text, path);
    if (parsed.ok) records.push(toRecord('github:nodebe4/scale', 1, parsed.post));
  }
  return records;
}

// Runs in the page: writes every record in the layout, then reads 50 random posts 20 times.
const PAGE = `<!doctype html><script>
window.run = async (layout, copies, durability) => {
  const base = await (await fetch('/records')).json();
  const records = [];
  for (let c = 0; c < copies; c++) for (const r of base) records.push({ ...r, id: r.id + c, key: r.key + c, videoIds: r.videoIds.map((v) => v + c) });
  const packSize = layout.startsWith('packs:') ? Number(layout.slice(6)) : 0;
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('bench-' + Math.random(), 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('posts', { keyPath: 'key' });
      if (packSize) for (const name of ['keys', 'videoIds', 'mentionIds']) store.createIndex(name, name, { multiEntry: true });
      else {
        store.createIndex('videoIds', 'videoIds', { multiEntry: true });
        store.createIndex('mentionIds', 'mentionIds', { multiEntry: true });
        store.createIndex('gen', ['sourceId', 'gen']);
        store.createIndex('removed', ['sourceId', 'gen', 'removedAt']);
      }
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  const started = performance.now();
  let saving = Promise.resolve();
  for (let i = 0; i < records.length; i += 500) {
    const batch = records.slice(i, i + 500);
    await saving;
    const tx = db.transaction('posts', 'readwrite', { durability });
    const store = tx.objectStore('posts');
    if (!packSize) for (const r of batch) store.put(r);
    else for (let j = 0; j < batch.length; j += packSize) {
      const part = batch.slice(j, j + packSize);
      store.put({ key: part[0].key + '~', keys: part.map((r) => r.key), videoIds: part.flatMap((r) => r.videoIds), mentionIds: part.flatMap((r) => r.mentionIds), posts: part.map((r) => JSON.stringify(r)) });
    }
    saving = done(tx);
  }
  await saving;
  const writeMs = performance.now() - started;
  const readStarted = performance.now();
  for (let round = 0; round < 20; round++) {
    const tx = db.transaction('posts', 'readonly');
    const source = packSize ? tx.objectStore('posts').index('keys') : tx.objectStore('posts');
    const keys = Array.from({ length: 50 }, () => records[Math.floor(Math.random() * records.length)].key);
    await Promise.all(keys.map((key) => new Promise((resolve) => { (packSize ? source.getAll(key) : source.get(key)).onsuccess = resolve; })));
  }
  const readMs = (performance.now() - readStarted) / 20;
  const usage = (await navigator.storage.estimate()).usage;
  db.close();
  return { layout, posts: records.length, writeMs: Math.round(writeMs), read50Ms: Math.round(readMs), usageMiB: Math.round(usage / 1048576) };
};
</script>`;

const json = JSON.stringify(await societyRecords());
const server = createServer((req, res) => {
  res.setHeader('content-type', req.url === '/records' ? 'application/json' : 'text/html');
  res.end(req.url === '/records' ? json : PAGE);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
for (const durability of (process.env.DURABILITY ?? 'relaxed,default').split(',')) {
  for (const layout of layouts) {
    // A fresh browser each time: nothing one layout leaves behind slows the next.
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const result = await page.evaluate(([l, c, d]) => (window as unknown as { run: (...a: unknown[]) => Promise<unknown> }).run(l, c, d), [layout, copies, durability] as const);
    console.log(`chromium, ${durability} durability:`, JSON.stringify(result));
    await browser.close();
  }
}
server.close();
