// Archived videos marked wherever YouTube shows thumbnails, against the local
// YouTube's feed (classic renderers and yt-lockup-view-model, recycled and
// appended as YouTube does) and a playlist with deleted entries.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeYouTube, type FakeYouTube } from './support/fake-youtube';
import { waitFor, type Driver } from './support/driver';
import { makeCertificate } from './support/tls';
import { samplePosts, SCREENSHOTS } from './scenarios';

type Launch = (options: { dist: string; tmp: string; hostMap: Record<string, number> }) => Promise<Driver>;

/** Ids no archive holds, shaped like YouTube's. */
const stranger = (i: number) => `zz${String(i).padStart(9, '0')}`;
const marksOf = (selector: string) => `[...document.querySelectorAll(${JSON.stringify(selector)})]`;

export function defineMarksScenarios(browser: 'chromium' | 'firefox', launch: Launch, dist: string): void {
  describe(`Marks on thumbnails in ${browser}`, () => {
    let tmp: string;
    let youtube: FakeYouTube;
    let driver: Driver;
    const posts = samplePosts();
    const postsOf = new Map<string, number>();
    for (const p of posts) postsOf.set(p.videoId!, (postsOf.get(p.videoId!) ?? 0) + 1);
    const archived = [...postsOf.keys()];
    // 100 thumbnails: every third archived.
    const feed = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? archived[i]! : stranger(i)));
    expect(archived.length).toBeGreaterThan(280);
    const playlist = [
      { videoId: archived[200]!, deleted: true },
      { videoId: archived[201]!, deleted: false },
      { videoId: stranger(500), deleted: true },
      { videoId: archived[202]!, deleted: true },
      { videoId: archived[203]!, deleted: 'private' as const },
    ];

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), `archivelens-marks-${browser}-`));
      youtube = await startFakeYouTube(makeCertificate(tmp, ['www.youtube.com']), {}, { feed, playlist });
      driver = await launch({ dist, tmp, hostMap: { 'www.youtube.com': youtube.port } });
      // The built-in sample is imported on first start: wait for it through the panel.
      await driver.goto(`https://www.youtube.com/watch?v=-VWLP6-06Jc`);
      await waitFor(driver, `document.querySelector('archivelens-panel')?.shadowRoot?.querySelector('.al-panel[data-state="ready"]')`, 'the archive');
    });

    afterAll(async () => {
      await driver?.close();
      await youtube?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    /** Which feed items (by index) carry a mark, and what it says. */
    const feedMarks = () => driver.evaluate<{ index: number; count: string; title: string }[]>(`${marksOf('#grid > ytd-rich-item-renderer')}.flatMap((item, index) => {
      const mark = item.querySelector('archivelens-mark');
      return mark ? [{ index, count: mark.shadowRoot.querySelector('span').textContent, title: mark.title }] : [];
    })`);

    it('marks the archived videos on screen with their post count and archived title, and only those', async () => {
      if (driver.name === 'chromium') {
        await driver.evaluateInBackground!(`(() => {
          globalThis.marksMessages = 0;
          chrome.runtime.onMessage.addListener((m) => { if (m && m.type === 'marks') globalThis.marksMessages++; });
        })()`);
      }
      await driver.goto('https://www.youtube.com/feed');
      await waitFor(driver, `document.querySelector('#grid archivelens-mark')`, 'the first marks');
      // Let the first screen settle (its one lookup answered), then read what is marked.
      await new Promise((r) => setTimeout(r, 500));
      const marks = await feedMarks();
      const onScreen = await driver.evaluate<number[]>(`${marksOf('#grid > ytd-rich-item-renderer')}.flatMap((item, i) => item.getBoundingClientRect().top < innerHeight + 200 ? [i] : [])`);
      const expected = onScreen.filter((i) => i % 3 === 0);
      expect(marks.map((m) => m.index)).toEqual(expected);
      for (const m of marks) {
        const id = feed[m.index]!;
        expect(m.count).toBe(String(postsOf.get(id)));
        expect(m.title).toContain(posts.find((p) => p.videoId === id)!.title.trim().slice(0, 20));
      }
      // Off screen, nothing has been done yet; scrolled to, they are marked too.
      expect(marks.length).toBeLessThan(feed.filter((_, i) => i % 3 === 0).length);
      if (driver.name === 'chromium') {
        const messages = await driver.evaluateInBackground!<number>('globalThis.marksMessages');
        console.log(`[measure] ${browser}: marking the first screen of a feed (${onScreen.length} thumbnails, ${expected.length} archived): ${messages} marks message(s)`);
        expect(messages).toBeLessThanOrEqual(2);
      }
      await driver.evaluate(`window.scrollTo(0, document.body.scrollHeight)`);
      await waitFor(driver, `${marksOf('#grid > ytd-rich-item-renderer')}.at(-1).getBoundingClientRect().top < innerHeight && document.querySelectorAll('#grid archivelens-mark').length > ${marks.length}`, 'marks further down');
      await driver.evaluate(`window.scrollTo(0, 0)`);
      await driver.screenshot(join(SCREENSHOTS, `marks-light-${browser}.png`), { x: 0, y: 0, width: 1280, height: 480 });
    });

    it("marks the Shorts in a feed's shelf (Shorts lockups of 2025–2026)", async () => {
      const shelf = feed.slice(0, 6).filter((id) => postsOf.has(id));
      expect(shelf.length).toBeGreaterThan(0);
      const marked = await waitFor<string[]>(driver, `(() => {
        const marks = [...document.querySelectorAll('grid-shelf-view-model archivelens-mark')].map((m) => m.dataset.videoId);
        return marks.length === ${shelf.length} && marks;
      })()`, 'marks on the Shorts shelf');
      expect(marked.sort()).toEqual([...shelf].sort());
    });

    it('follows a recycled renderer to its new video', async () => {
      await driver.evaluate(`(() => { recycle(0, '${stranger(9000)}'); recycle(1, '${archived[150]}'); })()`);
      await waitFor(driver, `(() => {
        const items = ${marksOf('#grid > ytd-rich-item-renderer')};
        return !items[0].querySelector('archivelens-mark') && items[1].querySelector('archivelens-mark')?.title.includes(${JSON.stringify(posts.find((p) => p.videoId === archived[150])!.title.trim().slice(0, 10))});
      })()`, 'the marks to follow the recycled renderers');
    });

    it('marks 100 appended thumbnails cheaply', async () => {
      const more = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? archived[180 + i]! : stranger(1000 + i)));
      expect(more.every((id) => /^[\w-]{11}$/.test(id))).toBe(true);
      const append = async () => {
        // Appended as a feed continues, then scrolled down through, as a reader would:
        // every new row comes on screen for a few frames.
        await driver.evaluate(`(async () => {
          appendVideos(${JSON.stringify(more)});
          const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          while (scrollY + innerHeight < document.body.scrollHeight - 1) { window.scrollBy(0, 300); await frame(); await frame(); }
        })()`);
        await waitFor(driver, `${marksOf('#grid > ytd-rich-item-renderer')}.slice(${feed.length}).filter((item) => item.querySelector('archivelens-mark')).length === ${more.filter((_, i) => i % 4 === 0).length}`, 'the appended marks');
      };
      if (driver.contentScriptMs) {
        const ms = await driver.contentScriptMs(append);
        console.log(`[measure] ${browser}: content-script main-thread time for 100 new thumbnails (25 archived) appended, then the whole feed (200) scrolled through: ${ms.toFixed(1)} ms`);
      } else {
        await append();
      }
    });

    it('marks the related videos beside the player', async () => {
      await driver.goto('https://www.youtube.com/watch?v=dQw4w9WgXcQ');
      const related = ['-VWLP6-06Jc', 'GorsYGIeIK4', 'dQw4w9WgXcQ', 'W3-13_eyVQ4'].filter((id) => postsOf.has(id));
      expect(related.length).toBeGreaterThan(0);
      const marked = await waitFor<string[]>(driver, `(() => {
        const marks = [...document.querySelectorAll('#related archivelens-mark')].map((m) => m.dataset.videoId);
        return marks.length === ${related.length} && marks;
      })()`, 'marks among the related videos');
      expect(marked.sort()).toEqual(related.sort());
    });

    it('marks search results on screen, in both kinds of renderer', async () => {
      await driver.goto('https://www.youtube.com/results?search_query=test');
      const rows = 'ytd-search #contents > *';
      // The results in view (and just below): the ones that get marks.
      const expected = await driver.evaluate<string[]>(`[...document.querySelectorAll('${rows}')].filter((r) => r.getBoundingClientRect().top < innerHeight + 200).map((r) => r.querySelector('a').getAttribute('href').match(/v=([\\w-]{11})/)[1])`);
      const archivedInView = expected.filter((id) => postsOf.has(id));
      expect(archivedInView.length).toBeGreaterThan(1);
      const marked = await waitFor<string[]>(driver, `(() => {
        const marks = [...document.querySelectorAll('ytd-search archivelens-mark')].map((m) => m.dataset.videoId);
        return marks.length === ${archivedInView.length} && marks;
      })()`, 'the marked results');
      expect(marked.sort()).toEqual([...archivedInView].sort());
      expect(await driver.evaluate<string[]>(`[...document.querySelectorAll('ytd-search archivelens-mark')].map((m) => m.closest('ytd-video-renderer, yt-lockup-view-model').tagName)`)).toEqual(expect.arrayContaining(['YTD-VIDEO-RENDERER', 'YT-LOCKUP-VIEW-MODEL']));
    });

    it('titles the deleted entries of a playlist with their archived title and date', async () => {
      await driver.goto('https://www.youtube.com/playlist?list=PLtest');
      const titled = await waitFor<{ index: number; text: string; href: string }[]>(driver, `(() => {
        const entries = ${marksOf('ytd-playlist-video-renderer')};
        const titled = entries.flatMap((e, index) => {
          const t = e.querySelector('archivelens-title');
          return t ? [{ index, text: t.shadowRoot.textContent, href: t.shadowRoot.querySelector('a').href, hidden: e.querySelector('#video-title').hidden }] : [];
        });
        return titled.length === 3 && titled;
      })()`, 'the archived titles');
      expect(titled.map((t) => t.index)).toEqual([0, 3, 4]);
      expect(titled[2]!.text).toContain(posts.find((p) => p.videoId === playlist[4]!.videoId)!.title.trim());
      expect(titled[0]!.text).toContain(posts.find((p) => p.videoId === playlist[0]!.videoId)!.title.trim());
      expect(titled[0]!.href).toMatch(/^https:\/\//);
      // The entry that plays keeps YouTube's title (and gets a mark); the one the archive lacks stays "[Deleted video]".
      const kept = await driver.evaluate<string[]>(`${marksOf('ytd-playlist-video-renderer #video-title')}.filter((t) => !t.hidden).map((t) => t.textContent)`);
      expect(kept).toEqual([`Video ${playlist[1]!.videoId}`, '[Deleted video]']);
      await driver.screenshot(join(SCREENSHOTS, `playlist-${browser}.png`), { x: 0, y: 0, width: 1280, height: 520 });
    });

    it('turns marks off and on from the options page', async () => {
      await driver.goto(driver.extensionUrl('src/options/index.html'));
      await waitFor(driver, `document.querySelector('#mark-thumbnails')`, 'the setting');
      await driver.evaluate(`document.querySelector('#mark-thumbnails').click()`);
      await driver.goto('https://www.youtube.com/feed?theme=dark');
      await new Promise((r) => setTimeout(r, 800));
      expect(await driver.evaluate<number>(`document.querySelectorAll('archivelens-mark').length`)).toBe(0);
      await driver.goto(driver.extensionUrl('src/options/index.html'));
      await waitFor(driver, `document.querySelector('#mark-thumbnails')`, 'the setting');
      await driver.evaluate(`document.querySelector('#mark-thumbnails').click()`);
      await driver.goto('https://www.youtube.com/feed?theme=dark');
      await waitFor(driver, `document.querySelector('#grid archivelens-mark')`, 'the marks again');
      await driver.screenshot(join(SCREENSHOTS, `marks-dark-${browser}.png`), { x: 0, y: 0, width: 1280, height: 480 });
    });
  });
}
