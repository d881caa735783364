// What the probes share: the society archive repeated `copies` times served
// by the local GitHub as NodeBE4/scale, and Chromium with the built extension
// pointed at it, its DevTools on `debugPort`.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { FakeGitHub, GITHUB_HOSTS } from '../../test/support/fake-github';
import { ArchiveRepo } from '../../test/support/git-archive-repo';
import { makeCertificate } from '../../test/e2e/support/tls';

export async function scaleBrowser(copies: number, debugPort: number, profileDir?: string) {
  const tmp = mkdtempSync(join(tmpdir(), 'archivelens-probe-'));
  const github = await new FakeGitHub().start(makeCertificate(tmp, GITHUB_HOSTS));
  // HEAVY=1: every description three times longer (the end-to-end run's heavy archive).
  github.addRepo('NodeBE4', 'scale', copies === 1 ? ArchiveRepo.society() : ArchiveRepo.scaled(copies, process.env.HEAVY === '1'));
  github.prepareTarball('NodeBE4', 'scale');
  const rules = GITHUB_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${github.httpsPort}`).join(',');
  // DIST: another build's folder (an A/B comparison of two builds).
  const dist = process.env.DIST ?? join(import.meta.dirname, '../../dist/chrome');
  const context = await chromium.launchPersistentContext(profileDir ?? mkdtempSync(join(tmp, 'profile-')), {
    executablePath: '/usr/bin/chromium', headless: true, ignoreHTTPSErrors: true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--disable-extensions-except=${dist}`, `--load-extension=${dist}`, `--host-resolver-rules=${rules}`, '--ignore-certificate-errors',
      '--no-sandbox', '--disable-gpu', `--remote-debugging-port=${debugPort}`,
      // PROBE_ARGS='--js-flags=--trace-gc': more switches for one probe run (its stdout with DEBUG=pw:browser).
      ...(process.env.PROBE_ARGS ? process.env.PROBE_ARGS.split(' ') : [])],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  const page = context.pages()[0] ?? (await context.newPage());
  return { tmp, github, context, extensionId, page };
}

/** Adds NodeBE4/scale on the options page and waits for its first sync to end. */
export async function syncScale({ page, extensionId }: { page: Page; extensionId: string }): Promise<void> {
  await page.goto(`chrome-extension://${extensionId}/src/options/index.html`);
  await page.waitForSelector('#repository');
  await page.fill('#repository', 'NodeBE4/scale');
  await page.click('#add-github button[type=submit]');
  await page.waitForSelector('[data-source-id="github:nodebe4/scale"] .last-sync-updated', { timeout: 900_000 });
}

/**
 * The DevTools protocol of the extension's service worker: `send` a command
 * and get its result; `on` sees every event (heap snapshot chunks…).
 */
export async function workerDevtools(debugPort: number, extensionId: string) {
  const targets = (await (await fetch(`http://127.0.0.1:${debugPort}/json/list`)).json()) as { type: string; url: string; webSocketDebuggerUrl: string }[];
  const sw = targets.find((t) => t.type === 'service_worker' && t.url.includes(extensionId))!;
  const ws = new WebSocket(sw.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  const pending = new Map<number, (v: any) => void>();
  const listeners: ((msg: { method?: string; params?: any }) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) pending.get(msg.id)!(msg.result ?? msg.error);
    for (const listener of listeners) listener(msg);
  });
  const send = (method: string, params = {}) => new Promise<any>((resolve) => {
    const n = ++id;
    pending.set(n, resolve);
    ws.send(JSON.stringify({ id: n, method, params }));
  });
  return { send, on: (listener: (msg: { method?: string; params?: any }) => void) => void listeners.push(listener), close: () => ws.close() };
}
