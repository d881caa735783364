// Cold reads of 30 posts after a large sync, in Chromium's background: through
// the posts' `keys` index (one request per post) against their packs by key
// (what a search does since its index knows each post's pack), samples drawn
// fresh each round. Not a test: `SCALE=32 npx tsx scripts/probe/pack-read.ts`.
import { scaleBrowser, syncScale } from './scale-browser';

const SCALE = Number(process.env.SCALE ?? 8);
const { github, context, extensionId, page } = await scaleBrowser(SCALE, 9449);
await syncScale({ page, extensionId });
const worker = context.serviceWorkers().find((w) => w.url().includes(extensionId))!;
await new Promise((r) => setTimeout(r, 30_000)); // the merge and the warm-up done
const out = await worker.evaluate(`(async () => {
  const db = await new Promise((resolve, reject) => { const o = indexedDB.open('archivelens'); o.onsuccess = () => resolve(o.result); o.onerror = () => reject(o.error); });
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  // Every (post key, pack key) pair, by a key cursor over the index (no values read).
  const pairs = [];
  await new Promise((resolve, reject) => {
    const c = db.transaction('posts').objectStore('posts').index('keys').openKeyCursor();
    c.onsuccess = () => { const cur = c.result; if (!cur) return resolve(); pairs.push([cur.key, cur.primaryKey]); cur.continue(); };
    c.onerror = () => reject(c.error);
  });
  const pick = () => Array.from({ length: 30 }, () => pairs[Math.floor(Math.random() * pairs.length)]);
  const byIndex = [], byKey = [];
  for (let round = 0; round < 16; round++) {
    for (const way of round % 2 ? ['key', 'index'] : ['index', 'key']) {
      const sample = pick();
      const t = performance.now();
      const store = db.transaction('posts').objectStore('posts');
      if (way === 'index') await Promise.all(sample.map(([post]) => req(store.index('keys').getAll(post))));
      else await Promise.all([...new Set(sample.map(([, pack]) => pack))].map((pack) => req(store.get(pack))));
      (way === 'index' ? byIndex : byKey).push(performance.now() - t);
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(1);
  return { pairs: pairs.length, byIndex: byIndex.map((x) => x.toFixed(1)).join(' '), byKey: byKey.map((x) => x.toFixed(1)).join(' '), medIndex: med(byIndex), medKey: med(byKey) };
})()`);
console.log(out);
await context.close();
await github.close();
