// Debian's Chromium with the built extension, driven by playwright-core.
// www.youtube.com (and any other impersonated host) resolves to the local server.
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { centreOf, EXPOSE_ROOT, readsShadowRoots, UNEXPOSED_HOSTS, useTestPageNames, type Clip, type Driver } from './driver';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(options: { dist: string; tmp: string; hostMap: Record<string, number> }): Promise<Driver> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package with "apt-get install -y chromium"`);
  }
  const profile = mkdtempSync(join(options.tmp, 'chromium-'));
  const rules = Object.entries(options.hostMap).map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`).join(',');
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      `--disable-extensions-except=${options.dist}`,
      `--load-extension=${options.dist}`,
      `--host-resolver-rules=${rules}`,
      '--ignore-certificate-errors',
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // For profiling the background by hand (scratch tools); never set in the test run.
      ...(process.env.CHROMIUM_DEBUG_PORT ? [`--remote-debugging-port=${process.env.CHROMIUM_DEBUG_PORT}`] : []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const page: Page = context.pages()[0] ?? (await context.newPage());
  let cdp: CDPSession | null = null;
  const isOurs = (url: string) => url.startsWith(`chrome-extension://${extensionId}/`);

  /** Samples the page's main thread (CDP's profiler, every `interval` µs) while `action` runs. */
  async function sample(action: () => Promise<void>, interval: number) {
    const session = await context.newCDPSession(page);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval });
    await session.send('Profiler.start');
    await action();
    const { profile } = await session.send('Profiler.stop');
    await session.detach();
    return profile;
  }

  /** Sets each of ArchiveLens's elements' `shadowRoot` to its closed root (the protocol sees closed roots; pages do not). */
  async function exposeClosedRoots(): Promise<void> {
    cdp ??= await context.newCDPSession(page);
    const { result } = await cdp.send('Runtime.evaluate', { expression: UNEXPOSED_HOSTS });
    if (!result.objectId) return;
    const { result: items } = await cdp.send('Runtime.getProperties', { objectId: result.objectId, ownProperties: true });
    for (const item of items) {
      const host = item.value?.objectId;
      if (!/^\d+$/.test(item.name) || !host) continue;
      const { node } = await cdp.send('DOM.describeNode', { objectId: host, depth: 1, pierce: true });
      const root = node.shadowRoots?.[0];
      if (!root) continue;
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: root.backendNodeId });
      await cdp.send('Runtime.callFunctionOn', { objectId: host, functionDeclaration: EXPOSE_ROOT, arguments: [{ objectId: object.objectId }] });
    }
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'console' }).catch(() => {});
  }

  return useTestPageNames({
    name: 'chromium',
    extensionUrl: (path) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
    },
    async evaluate<T>(expression: string, options?: { asPage?: boolean }) {
      if (readsShadowRoots(expression, options)) await exposeClosedRoots().catch((e: unknown) => console.warn('could not expose closed shadow roots', e));
      const json = await page.evaluate(`(async () => JSON.stringify(await (${expression})))()`);
      return (json === undefined ? undefined : JSON.parse(json as string)) as T;
    },
    async click(expression) {
      const at = (await page.evaluate(centreOf(expression))) as { x: number; y: number } | null;
      if (!at) throw new Error(`chromium: nothing to click for ${expression}`);
      await page.mouse.click(at.x, at.y);
    },
    async stopBackground() {
      cdp ??= await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
    },
    async evaluateInBackground<T>(expression: string) {
      // The service worker may have been stopped and restarted: take the live one.
      const live = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      return (await live.evaluate(`(async () => await (${expression}))()`)) as T;
    },
    async takeTab(prefix) {
      const tab = context.pages().find((p) => p !== page && p.url().startsWith(prefix));
      if (!tab) return null;
      const url = tab.url();
      await tab.close();
      return url;
    },
    async contentScriptMs(action) {
      // The content script's functions are the ones from its content.js.
      const profile = await sample(action, 100);
      const ours = new Set(profile.nodes.filter((n) => isOurs(n.callFrame.url)).map((n) => n.id));
      let us = 0;
      profile.samples!.forEach((id, i) => {
        if (ours.has(id)) us += profile.timeDeltas![i] ?? 0;
      });
      return us / 1000;
    },
    async contentScriptLongestMs(action) {
      // Every millisecond: finer sampling slows the page it measures (and its stalls, measured meanwhile).
      const profile = await sample(action, 1000);
      // A sample is ours when any frame of its stack is (a function of ours calling the DOM or the parser counts).
      const parent = new Map<number, number>();
      for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
      const own = new Set(profile.nodes.filter((n) => isOurs(n.callFrame.url)).map((n) => n.id));
      const ours = (id: number): boolean => {
        for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (own.has(at)) return true;
        return false;
      };
      const memo = new Map<number, boolean>();
      let run = 0;
      let longest = 0;
      profile.samples!.forEach((id, i) => {
        if (!memo.has(id)) memo.set(id, ours(id));
        run = memo.get(id) ? run + (profile.timeDeltas![i] ?? 0) : 0;
        longest = Math.max(longest, run);
      });
      return longest / 1000;
    },
    async setInputFiles(selector, paths) {
      await page.setInputFiles(selector, paths);
    },
    async setViewport(width, height) {
      await page.setViewportSize({ width, height });
    },
    async screenshot(path: string, clip?: Clip) {
      await page.screenshot({ path, ...(clip ? { clip } : {}) });
    },
    async close() {
      await context.close();
    },
  });
}
