// Debian's Firefox ESR with the built extension, driven over WebDriver BiDi
// (no geckodriver: it cannot be downloaded here). Impersonated hosts are
// reached through a CONNECT proxy.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { GECKO_ID } from '../../../vite.config';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { centreOf, EXPOSE_ROOT, readsShadowRoots, UNEXPOSED_HOSTS, useTestPageNames, type Clip, type Driver } from './driver';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

class Bidi {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; type: string; result?: unknown; error?: string; message?: string };
      if (message.id === undefined) return; // events
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'error') waiter?.reject(new Error(`${message.error}: ${message.message}`));
      else waiter?.resolve(message.result);
    });
  }
  send<T>(method: string, params: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}

function prefs(extensionUuid: string, proxyPort: number): string {
  const values: Record<string, string | number | boolean> = {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: extensionUuid }),
    'network.proxy.type': 1,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': proxyPort,
    'network.proxy.no_proxies_on': '',
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.homepage_override.mstone': 'ignore',
    'browser.startup.page': 0,
    'browser.newtabpage.enabled': false,
    'app.update.disabledForTesting': true,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'extensions.autoDisableScopes': 0,
    'extensions.getAddons.cache.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'intl.locale.requested': 'en-US',
    'intl.accept_languages': 'en-US, en',
    'ui.systemUsesDarkTheme': 0,
    // Optional permissions asked by the options page (a bundle's or a published index's site) are granted without the prompt automation cannot answer.
    'extensions.webextOptionalPermissionPrompts': false,
    // Probes may add their own (scripts/probe: a memory report's trigger).
    ...(JSON.parse(process.env.FIREFOX_PREFS ?? '{}') as Record<string, string | number | boolean>),
  };
  return Object.entries(values).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n');
}

function waitForBidiUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Firefox exited (${code}) before BiDi started:\n${output.slice(-2000)}`)));
  });
}

export async function launchFirefox(options: { dist: string; tmp: string; hostMap: Record<string, number> }): Promise<Driver> {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox is missing at ${FIREFOX}: install Debian's package with "apt-get install -y firefox-esr"`);
  }
  const proxy: ConnectProxy = await startConnectProxy(options.hostMap);
  const profile = mkdtempSync(join(options.tmp, 'firefox-'));
  const uuid = randomUUID();
  writeFileSync(join(profile, 'user.js'), prefs(uuid, proxy.port));
  const child = spawn(FIREFOX, ['--headless', '--remote-debugging-port=0', '--remote-allow-system-access', '--no-remote', '--profile', profile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  try {
    const url = await waitForBidiUrl(child);
    const socket = new WebSocket(`${url}/session`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const bidi = new Bidi(socket);
    await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true } } });
    await bidi.send('webExtension.install', { extensionData: { type: 'path', path: options.dist } });
    const tree = await bidi.send<{ contexts: { context: string }[] }>('browsingContext.getTree', {});
    const context = tree.contexts[0]!.context;
    await bidi.send('browsingContext.setViewport', { context, viewport: { width: 1280, height: 900 } });

    type NodeValue = { type: string; sharedId?: string; value?: { shadowRoot?: { sharedId?: string } | null } };
    /** Sets each of ArchiveLens's elements' `shadowRoot` to its closed root (BiDi serialises closed roots; pages cannot reach them). */
    const exposeClosedRoots = async () => {
      const found = await bidi.send<{ type: string; result?: { value?: NodeValue[] } }>('script.evaluate', {
        expression: UNEXPOSED_HOSTS,
        target: { context },
        awaitPromise: false,
        serializationOptions: { maxDomDepth: 1, includeShadowTree: 'all' },
      });
      for (const host of found.result?.value ?? []) {
        const root = host.value?.shadowRoot?.sharedId;
        if (!host.sharedId || !root) continue;
        await bidi.send('script.callFunction', {
          functionDeclaration: EXPOSE_ROOT, this: { sharedId: host.sharedId }, arguments: [{ sharedId: root }], target: { context }, awaitPromise: false,
        });
      }
    };

    return await useTestPageNames({
      name: 'firefox',
      extensionUrl: (path) => `moz-extension://${uuid}/${path.replace(/^\//, '')}`,
      async takeTab(prefix) {
        const all = await bidi.send<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', { maxDepth: 0 });
        const tab = all.contexts.find((c) => c.context !== context && c.url.startsWith(prefix));
        if (!tab) return null;
        await bidi.send('browsingContext.close', { context: tab.context });
        return tab.url;
      },
      async goto(target) {
        await bidi.send('browsingContext.navigate', { context, url: target, wait: 'complete' });
      },
      async evaluate<T>(expression: string, options?: { asPage?: boolean }) {
        if (readsShadowRoots(expression, options)) await exposeClosedRoots().catch((e: unknown) => console.warn('could not expose closed shadow roots', e));
        const result = await bidi.send<{ type: string; result?: { value?: string }; exceptionDetails?: { text: string } }>('script.evaluate', {
          expression: `(async () => JSON.stringify(await (${expression})))()`,
          target: { context },
          awaitPromise: true,
        });
        if (result.type !== 'success') throw new Error(`evaluate failed: ${result.exceptionDetails?.text}`);
        const json = result.result?.value;
        return (json === undefined ? undefined : JSON.parse(json)) as T;
      },
      async click(expression) {
        const found = await bidi.send<{ result?: { value?: string } }>('script.evaluate', {
          expression: `JSON.stringify(${centreOf(expression)})`, target: { context }, awaitPromise: false,
        });
        const at = JSON.parse(found.result?.value ?? 'null') as { x: number; y: number } | null;
        if (!at) throw new Error(`firefox: nothing to click for ${expression}`);
        await bidi.send('input.performActions', {
          context,
          actions: [{
            type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
            actions: [{ type: 'pointerMove', x: at.x, y: at.y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
          }],
        });
      },
      async setInputFiles(selector, paths) {
        const found = await bidi.send<{ type: string; result?: { type: string; sharedId?: string } }>('script.evaluate', {
          expression: `document.querySelector(${JSON.stringify(selector)})`,
          target: { context },
          awaitPromise: false,
          resultOwnership: 'root',
        });
        const sharedId = found.result?.sharedId;
        if (!sharedId) throw new Error(`no element for ${selector}`);
        await bidi.send('input.setFiles', { context, element: { sharedId }, files: paths });
      },
      async setViewport(width, height) {
        await bidi.send('browsingContext.setViewport', { context, viewport: { width, height } });
      },
      async screenshot(path: string, clip?: Clip) {
        const shot = await bidi.send<{ data: string }>('browsingContext.captureScreenshot', {
          context,
          ...(clip ? { clip: { type: 'box', ...clip } } : {}),
        });
        await writeFile(path, Buffer.from(shot.data, 'base64'));
      },
      async close() {
        await bidi.send('session.end', {}).catch(() => {});
        socket.close();
        await stop(child);
        await proxy.close();
      },
    });
  } catch (e) {
    await stop(child);
    await proxy.close();
    throw e;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
