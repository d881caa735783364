// Videos YouTube cannot play, against the local YouTube's error pages: the
// archived post where the player would be, on first load and after SPA
// navigation; a quiet line for a video the archive does not hold; nothing
// for YouTube's ad-block wall or an age gate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeYouTube, type FakeYouTube, type GoneKind } from './support/fake-youtube';
import { waitFor, type Driver } from './support/driver';
import { makeCertificate } from './support/tls';
import { samplePosts, SCREENSHOTS, videoWithHistory } from './scenarios';

type Launch = (options: { dist: string; tmp: string; hostMap: Record<string, number> }) => Promise<Driver>;

const GONE = `document.querySelector('archivelens-gone')`;
const goneFor = (videoId: string) => `${GONE}?.shadowRoot?.querySelector('.al-gone[data-state="ready"][data-video-id="${videoId}"]')`;
const PANEL_READY = (videoId: string) => `document.querySelector('archivelens-panel')?.shadowRoot?.querySelector('.al-panel[data-state="ready"][data-video-id="${videoId}"]')`;
const NOT_ARCHIVED_GONE = 'AAAAAAAAAAA';

export function defineGoneScenarios(browser: 'chromium' | 'firefox', launch: Launch, dist: string): void {
  describe(`Gone videos in ${browser}`, () => {
    let tmp: string;
    let youtube: FakeYouTube;
    let driver: Driver;
    const posts = samplePosts();
    const history = videoWithHistory(posts);
    const single = posts.filter((p) => p.videoId !== history.videoId && p.videoId !== '-VWLP6-06Jc' && posts.filter((q) => q.videoId === p.videoId).length === 1 && p.summary.length > 200 && p.tags.length > 0);
    const [removed, privateVideo, walled, ageGated] = single;
    const gone: Record<string, GoneKind> = {
      [removed!.videoId!]: 'removed',
      [privateVideo!.videoId!]: 'private',
      [history.videoId]: 'deleted',
      [walled!.videoId!]: 'adblock-wall',
      [ageGated!.videoId!]: 'age-gate',
      [NOT_ARCHIVED_GONE]: 'removed',
    };

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), `archivelens-gone-${browser}-`));
      youtube = await startFakeYouTube(makeCertificate(tmp, ['www.youtube.com']), gone);
      driver = await launch({ dist, tmp, hostMap: { 'www.youtube.com': youtube.port } });
    });

    afterAll(async () => {
      await driver?.close();
      await youtube?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    /** Navigates inside the page and returns how long until the gone view shows the post (ms, from the page's clock). */
    const navigateAndTime = (videoId: string) => driver.evaluate<number>(`(async () => {
      const start = performance.now();
      ytNavigate('/watch?v=${videoId}');
      for (let i = 0; i < 3000 && !(${goneFor(videoId)}); i++) await new Promise((r) => setTimeout(r, 5));
      return performance.now() - start;
    })()`);

    it('shows the archived post, whole, where the player was, for a video removed by the uploader (first load)', async () => {
      await driver.goto(`https://www.youtube.com/watch?v=${removed!.videoId}`);
      await waitFor(driver, goneFor(removed!.videoId!), 'the archived post of the removed video');
      const view = await driver.evaluate<{ text: string; title: string; tags: string[]; links: string[]; first: boolean; height: number; top: number; panels: number }>(`(() => {
        const root = ${GONE}.shadowRoot;
        const box = ${GONE}.getBoundingClientRect();
        return {
          text: root.querySelector('.al-gone-text').textContent,
          title: root.querySelector('.al-gone-title').textContent,
          tags: [...root.querySelectorAll('.al-chip')].map((c) => c.textContent),
          links: [...root.querySelectorAll('a')].map((a) => a.href),
          first: document.querySelector('ytd-watch-flexy:not([hidden]) #primary-inner').firstElementChild === ${GONE},
          height: box.height, top: box.top,
          panels: [...document.querySelectorAll('archivelens-panel')].filter((p) => p.getClientRects().length).length,
        };
      })()`);
      expect(view.title).toBe(removed!.title.trim());
      // The whole description, not a preview.
      expect(view.text.replace(/\s+/g, '')).toBe(removed!.summary.replace(/\s+/g, ''));
      expect(view.tags).toEqual(removed!.tags);
      expect(view.links).toContain(`https://web.archive.org/web/*/https://www.youtube.com/watch?v=${removed!.videoId}`);
      expect(view.first).toBe(true);
      expect(view.height).toBeGreaterThan(150);
      expect(view.top).toBeLessThan(400);
      expect(view.panels).toBe(0);
      await driver.screenshot(join(SCREENSHOTS, `gone-light-${browser}.png`), await clip(driver));
    });

    it('shows it after SPA navigation from a working video to a private one, and the panel leaves', async () => {
      await driver.evaluate(`ytNavigate('/watch?v=-VWLP6-06Jc')`);
      await waitFor(driver, PANEL_READY('-VWLP6-06Jc'), 'the panel of a working video');
      const ms = await navigateAndTime(privateVideo!.videoId!);
      const text = await waitFor<string>(driver, `(${goneFor(privateVideo!.videoId!)})?.textContent`, 'the private video\'s post');
      expect(text).toContain(privateVideo!.title.trim());
      expect(await driver.evaluate<number>(`document.querySelectorAll('archivelens-panel').length`)).toBe(0);
      console.log(`[measure] ${browser}: gone-video view visible ${ms.toFixed(0)} ms after SPA navigation (private video; YouTube's page itself renders after 30 ms)`);
    });

    it('shows a deleted video (promo screen, no video-id) with its versions, on load and after navigation', async () => {
      const ms = await navigateAndTime(history.videoId);
      console.log(`[measure] ${browser}: gone-video view visible ${ms.toFixed(0)} ms after SPA navigation (deleted video, promo screen)`);
      const placed = await driver.evaluate<boolean>(`${GONE}.nextElementSibling?.tagName === 'YTD-BACKGROUND-PROMO-RENDERER'`);
      expect(placed).toBe(true);
      const versions = await driver.evaluate<string[]>(`[...${GONE}.shadowRoot.querySelectorAll('.al-version-title')].map((v) => v.textContent)`);
      expect(versions.length).toBeGreaterThan(1);
      for (const title of history.titles) expect(versions).toContain(title);
      // Choosing an older version shows it.
      const older = await driver.evaluate<string>(`(() => {
        const buttons = ${GONE}.shadowRoot.querySelectorAll('.al-version');
        const last = buttons[buttons.length - 1];
        last.focus();
        last.click();
        return last.querySelector('.al-version-title').textContent;
      })()`);
      await waitFor(driver, `${GONE}.shadowRoot.querySelector('.al-gone-title').textContent === ${JSON.stringify(older)}`, 'the older version');
      await driver.goto(`https://www.youtube.com/watch?v=${history.videoId}`);
      await waitFor(driver, goneFor(history.videoId), 'the deleted video on first load');
    });

    it('says quietly when the archive does not hold a gone video', async () => {
      await driver.evaluate(`ytNavigate('/watch?v=${NOT_ARCHIVED_GONE}')`);
      const text = await waitFor<string>(driver, `(${goneFor(NOT_ARCHIVED_GONE)})?.textContent`, 'the quiet line');
      expect(text).toContain('this video is not in your archive');
      expect(await driver.evaluate<boolean>(`${GONE}.shadowRoot.querySelector('.al-gone').classList.contains('al-quiet')`)).toBe(true);
    });

    it('does not mistake the ad-block wall or an age gate for a gone video, even right after a deleted one', async () => {
      // The deleted video's promo screen stays in the page until YouTube shows the next video.
      await driver.goto(`https://www.youtube.com/watch?v=${history.videoId}`);
      await waitFor(driver, goneFor(history.videoId), 'the deleted video');
      for (const video of [walled!, ageGated!]) {
        await driver.evaluate(`ytNavigate('/watch?v=${video.videoId}')`);
        await waitFor(driver, PANEL_READY(video.videoId!), `the panel of ${gone[video.videoId!]}`).catch(async (e) => {
          // What the page showed instead, for the log of a failed run.
          console.log(`${browser}: page state`, await driver.evaluate(`JSON.stringify({url: location.href, gone: document.querySelector('archivelens-gone')?.shadowRoot.textContent.slice(-80), goneAttr: document.querySelector('archivelens-gone')?.shadowRoot.querySelector('.al-gone')?.dataset.videoId, by: document.querySelector('archivelens-gone')?.dataset.detectedBy, panel: document.querySelector('archivelens-panel')?.shadowRoot.innerHTML.slice(0, 300), flexy: document.querySelector('ytd-watch-flexy').outerHTML.slice(0, 120)})`));
          throw e;
        });
        // The page-world answer comes within a few frames; give it ten times that.
        await new Promise((r) => setTimeout(r, 600));
        expect(await driver.evaluate<boolean>(`Boolean(${GONE})`), gone[video.videoId!]).toBe(false);
      }
      await driver.goto(`https://www.youtube.com/watch?v=${walled!.videoId}`);
      await waitFor(driver, PANEL_READY(walled!.videoId!), 'the panel on first load behind the wall');
      await new Promise((r) => setTimeout(r, 600));
      expect(await driver.evaluate<boolean>(`Boolean(${GONE})`)).toBe(false);
    });

    it('leaves when the next video plays, and follows the dark theme', async () => {
      await driver.goto(`https://www.youtube.com/watch?v=${removed!.videoId}&theme=dark`);
      await waitFor(driver, goneFor(removed!.videoId!), 'the gone view in the dark theme');
      expect(await driver.evaluate<string>(`${GONE}.dataset.theme`)).toBe('dark');
      await driver.screenshot(join(SCREENSHOTS, `gone-dark-${browser}.png`), await clip(driver));
      // The one-column layout keeps it where the player was, and in view.
      await driver.setViewport(820, 900);
      await waitFor(driver, `document.querySelector('ytd-watch-flexy:not([hidden]) #primary-inner').firstElementChild === ${GONE} && ${GONE}.getBoundingClientRect().top < 400 && ${GONE}.getBoundingClientRect().width > 600`, 'the view in one column');
      await driver.setViewport(1280, 900);
      await driver.evaluate(`ytNavigate('/watch?v=-VWLP6-06Jc')`);
      await waitFor(driver, PANEL_READY('-VWLP6-06Jc'), 'the panel of the next video');
      expect(await driver.evaluate<boolean>(`Boolean(${GONE})`)).toBe(false);
    });
  });
}

async function clip(driver: Driver) {
  return driver.evaluate<{ x: number; y: number; width: number; height: number }>(`(() => {
    const r = document.querySelector('archivelens-gone').getBoundingClientRect();
    return { x: Math.max(0, r.x - 12), y: Math.max(0, r.y - 12), width: r.width + 24, height: Math.min(r.height + 24, 860) };
  })()`);
}
