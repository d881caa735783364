// Shorts (preloaded neighbours, a swipe) and m.youtube.com against the local
// YouTube: the archive keyed on the active video, never the previous one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeYouTube, type FakeYouTube } from './support/fake-youtube';
import { waitFor, type Driver } from './support/driver';
import { makeCertificate } from './support/tls';
import { samplePosts, SCREENSHOTS } from './scenarios';

type Launch = (options: { dist: string; tmp: string; hostMap: Record<string, number> }) => Promise<Driver>;

const SHORT = `document.querySelector('archivelens-short')`;
const PANEL = `document.querySelector('archivelens-panel')`;
const readyFor = (host: string, videoId: string) => `${host}?.shadowRoot?.querySelector('.al-panel[data-state="ready"][data-video-id="${videoId}"]')`;

export function defineSurfaceScenarios(browser: 'chromium' | 'firefox', launch: Launch, dist: string): void {
  describe(`Shorts and m.youtube.com in ${browser}`, () => {
    let tmp: string;
    let youtube: FakeYouTube;
    let driver: Driver;
    const posts = samplePosts();
    const single = posts.filter((p) => posts.filter((q) => q.videoId === p.videoId).length === 1);
    const [a, b, c] = [single[10]!, single[11]!, single[12]!];
    const stranger = 'zz000000001';
    const shorts = [a.videoId!, b.videoId!, stranger, c.videoId!];

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), `archivelens-surfaces-${browser}-`));
      youtube = await startFakeYouTube(makeCertificate(tmp, ['www.youtube.com', 'm.youtube.com']), {}, { shorts });
      driver = await launch({ dist, tmp, hostMap: { 'www.youtube.com': youtube.port, 'm.youtube.com': youtube.port } });
    });

    afterAll(async () => {
      await driver?.close();
      await youtube?.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    for (const layout of ['2026', '2024'] as const) it(`shows a compact panel on the playing Short, and the next one's after a swipe, never the previous one's (${layout === '2026' ? "2026: no reel marked is-active" : '2024: is-active'})`, async () => {
      // How the page marks the playing reel: 2026 holds the Shorts player in it, 2024 marks it is-active.
      const playing = layout === '2026' ? `querySelector('#shorts-player')` : `hasAttribute('is-active')`;
      await driver.goto(`https://www.youtube.com/shorts/${a.videoId}${layout === '2024' ? '?layout=2024' : ''}`);
      await waitFor(driver, readyFor(SHORT, a.videoId!), 'the panel on the first Short');
      const first = await driver.evaluate<{ inActive: boolean; preloaded: number; text: string }>(`({
        inActive: Boolean(${SHORT}.parentElement.${playing}) && ${SHORT}.parentElement.dataset.short === '${a.videoId}',
        preloaded: document.querySelectorAll('ytd-reel-video-renderer').length,
        text: ${SHORT}.shadowRoot.textContent,
      })`);
      expect(first.inActive).toBe(true);
      expect(first.preloaded).toBeGreaterThan(1);
      expect(first.text).toContain('1 archived post');
      // Opens to the archived post from its label, not only from the chevron.
      await driver.evaluate(`${SHORT}.shadowRoot.querySelector('.al-headline').click()`);
      await waitFor(driver, `${SHORT}.shadowRoot.textContent.includes(${JSON.stringify(a.title.trim().slice(0, 12))})`, 'the archived post');
      if (layout === '2026') await driver.screenshot(join(SCREENSHOTS, `shorts-${browser}.png`), await driver.evaluate(`(() => { const r = ${SHORT}.parentElement.getBoundingClientRect(); return { x: Math.max(0, r.x - 60), y: Math.max(0, r.y - 12), width: r.width + 120, height: Math.min(r.height + 24, innerHeight - Math.max(0, r.y - 12)) }; })()`));

      // A swipe: every few ms, the panel shown sits on the Short whose post it shows, and on the active one.
      const wrong = await driver.evaluate<string[]>(`(async () => {
        const wrong = [];
        swipeShort();
        for (let i = 0; i < 200; i++) {
          const host = ${SHORT};
          const panel = host?.shadowRoot?.querySelector('.al-panel');
          const renderer = host?.parentElement;
          if (panel && (panel.dataset.videoId !== renderer?.dataset.short || !renderer?.${playing})) wrong.push(panel.dataset.videoId + ' on ' + renderer?.dataset.short);
          if (panel?.dataset.videoId === '${b.videoId}' && panel.dataset.state === 'ready') break;
          await new Promise((r) => setTimeout(r, 2));
        }
        return wrong;
      })()`);
      expect(wrong).toEqual([]);
      await waitFor(driver, `${readyFor(SHORT, b.videoId!)} && ${SHORT}.parentElement.dataset.short === '${b.videoId}'`, 'the second Short\'s panel in its renderer');

      // A Short the archive does not know: nothing.
      await driver.evaluate(`swipeShort()`);
      await waitFor(driver, `location.pathname === '/shorts/${stranger}'`, 'the third Short');
      await new Promise((r) => setTimeout(r, 500));
      expect(await driver.evaluate<boolean>(`Boolean(${SHORT})`)).toBe(false);
      await driver.evaluate(`swipeShort()`);
      await waitFor(driver, `${readyFor(SHORT, c.videoId!)} && ${SHORT}.parentElement.dataset.short === '${c.videoId}'`, 'the fourth Short\'s panel on its reel');
    });

    it('puts the panel under the video on m.youtube.com, and follows its navigation', async () => {
      await driver.setViewport(412, 900);
      await driver.goto(`https://m.youtube.com/watch?v=${a.videoId}`);
      await waitFor(driver, readyFor(PANEL, a.videoId!), 'the panel on m.youtube.com');
      expect(await driver.evaluate<string>(`${PANEL}.previousElementSibling.tagName`)).toBe('YTM-SLIM-VIDEO-METADATA-SECTION-RENDERER');
      await driver.screenshot(join(SCREENSHOTS, `mobile-${browser}.png`));
      await driver.evaluate(`ytNavigate('/watch?v=${b.videoId}')`);
      const text = await waitFor<string>(driver, `(${readyFor(PANEL, b.videoId!)})?.textContent`, 'the next video\'s panel');
      expect(text).toContain(b.title.trim().slice(0, 12));
      expect(await driver.evaluate<number>(`document.querySelectorAll('archivelens-panel').length`)).toBe(1);
      await driver.evaluate(`ytNavigate('/feed/subscriptions')`);
      await waitFor(driver, `!${PANEL}`, 'the panel to leave');
      await driver.setViewport(1280, 900);
    });
  });
}
