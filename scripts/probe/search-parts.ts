// Where a warm search's time goes outside the search code in real Chromium:
// the message round trip page → worker → page, one small IndexedDB read (the
// sources), and a read of 30 posts by key, each timed alone. Not a test:
// `SCALE=8 npx tsx scripts/probe/search-parts.ts`.
import { scaleBrowser } from './scale-browser';

const SCALE = Number(process.env.SCALE ?? 8);
const { context, extensionId, page } = await scaleBrowser(SCALE, 9446);
await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
await page.waitForSelector('#repository');
await page.fill('#repository', 'NodeBE4/scale');
await page.click('#add-github button[type=submit]');
await page.waitForSelector('[data-source-id="github:nodebe4/scale"] .last-sync-updated, [data-source-id="github:nodebe4/scale"] .last-sync-failed', { timeout: 900_000 });
const worker = context.serviceWorkers().find((w) => w.url().includes(extensionId))!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(2);
for (let round = 0; round < 3; round++) {
  const messages = await page.evaluate(`(async () => {
    const times = [];
    for (let i = 0; i < 30; i++) { const t = performance.now(); await chrome.runtime.sendMessage({ type: 'nothing' }).catch(() => {}); times.push(performance.now() - t); }
    const searches = [];
    for (let i = 0; i < 30; i++) { const t = performance.now(); await chrome.runtime.sendMessage({ type: 'search', query: 'covid', limit: 30 }); searches.push(performance.now() - t); }
    return { times, searches };
  })()`) as { times: number[]; searches: number[] };
  const idb = (await worker.evaluate(`(async () => {
    const db = await new Promise((resolve, reject) => { const o = indexedDB.open('archivelens'); o.onsuccess = () => resolve(o.result); o.onerror = () => reject(o.error); });
    const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const sources = [], posts = [], postsOnly = [], combined = [];
    const keys = (await req(db.transaction('posts').objectStore('posts').getAllKeys(null, 3000)));
    for (let i = 0; i < 20; i++) {
      let t = performance.now();
      await req(db.transaction('sources').objectStore('sources').getAll());
      sources.push(performance.now() - t);
      t = performance.now();
      const tx = db.transaction('posts');
      const store = tx.objectStore('posts');
      await Promise.all(keys.slice(i * 30, i * 30 + 30).map((k) => req(store.get(k))));
      posts.push(performance.now() - t);
      t = performance.now();
      const again = db.transaction('posts').objectStore('posts');
      await Promise.all(keys.slice(i * 30, i * 30 + 30).map((k) => req(again.get(k))));
      postsOnly.push(performance.now() - t);
      t = performance.now();
      const both = db.transaction(['sources', 'posts']);
      await req(both.objectStore('sources').getAll());
      await Promise.all(keys.slice(1000 + i * 30, 1000 + i * 30 + 30).map((k) => req(both.objectStore('posts').get(k))));
      combined.push(performance.now() - t);
    }
    db.close();
    return { sources, posts, postsOnly, combined };
  })()`)) as { sources: number[]; posts: number[]; postsOnly: number[]; combined: number[] };
  console.log(`round ${round}: message round trip median ${median(messages.times)} ms; search covid median ${median(messages.searches)} ms; sources read ${median(idb.sources)} ms; 30 posts cold ${median(idb.posts)} ms, warm ${median(idb.postsOnly)} ms; sources + 30 cold posts in one transaction ${median(idb.combined)} ms`);
}
await context.close();
process.exit(0);
