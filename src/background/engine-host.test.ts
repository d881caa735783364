// Where the sync engine runs, as Chrome's service worker gets it: through an
// offscreen document that sends back a port, closed when no sync needs it;
// and in the background itself when the document cannot be made.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../engine/engine';
import { serve } from '../engine/link';
import { ENGINE_PORT, type RawFile } from '../engine/protocol';
import { seedText } from '../../test/support/archives';

/** The seed post, as a tarball's file. */
const seed = (): RawFile[] => {
  const data = new TextEncoder().encode(seedText());
  return [{ path: 'archived/2025-02-02/seed.md', data, size: data.length }];
};

type Host = typeof import('./engine-host');
type Session = typeof import('../engine/session');

interface FakeChrome {
  created: number;
  closed: number;
  open: boolean;
}

/** A service worker's globals with a fake `chrome.offscreen`; `make` is what creating the document does. */
async function serviceWorker(make: (fake: FakeChrome, scope: EventTarget) => Promise<void>): Promise<{ host: Host; session: Session; fake: FakeChrome }> {
  vi.resetModules();
  const scope = new EventTarget();
  const fake: FakeChrome = { created: 0, closed: 0, open: false };
  vi.stubGlobal('self', scope);
  vi.stubGlobal('chrome', {
    offscreen: {
      async createDocument() {
        fake.created++;
        await make(fake, scope);
        fake.open = true;
      },
      async closeDocument() {
        fake.closed++;
        fake.open = false;
      },
    },
    runtime: { getContexts: async () => (fake.open ? [{}] : []) },
  });
  const host = await import('./engine-host');
  const session = await import('../engine/session');
  return { host, session, fake };
}

/** What the offscreen document does: starts the worker (here an Engine behind a channel) and posts its port. */
async function sendPort(_fake: FakeChrome, scope: EventTarget) {
  const channel = new MessageChannel();
  serve(channel.port1, new Engine());
  setTimeout(() => scope.dispatchEvent(new MessageEvent('message', { data: { type: ENGINE_PORT }, ports: [channel.port2] })), 5);
}

/** A session parses the seed post in this thread (no worker). */
async function parsesHere(session: Session): Promise<void> {
  const parsing = new session.EngineSession();
  expect(parsing.remote).toBe(false);
  const [file] = await parsing.parse(seed(), { keep: false });
  expect(file!.result.ok && file!.result.post.videoId).toBe('-VWLP6-06Jc');
  parsing.close();
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('the sync engine host in Chrome', () => {
  it('starts the worker through an offscreen document, and closes it when the sync and its sessions end', async () => {
    const { host, session, fake } = await serviceWorker(async (f, scope) => sendPort(f, scope));
    const release = await host.startEngine('worker');
    expect(fake.created).toBe(1);
    const parsing = new session.EngineSession();
    expect(parsing.remote).toBe(true);
    const [file] = await parsing.parse(seed(), { keep: false });
    expect(file!.result.ok && file!.result.post.videoId).toBe('-VWLP6-06Jc');
    release();
    expect(fake.open).toBe(true); // a session still needs it
    parsing.close();
    await vi.waitFor(() => expect(fake.open).toBe(false));
    // Without a worker, a session works in the background itself.
    expect(new session.EngineSession().remote).toBe(false);
  });

  it('lets the sync go on in the background when the document cannot be made', async () => {
    const { host, session, fake } = await serviceWorker(async () => {
      throw new Error('Only a single offscreen document may be created.');
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const release = await host.startEngine('worker');
    expect(fake.created).toBe(1);
    expect(warn).toHaveBeenCalled();
    await parsesHere(session);
    release();
  });

  it('parses in the background on a machine of two cores, where the worker would only take turns with it, unless told to use the worker', async () => {
    const { host, session, fake } = await serviceWorker(async (f, scope) => sendPort(f, scope));
    vi.stubGlobal('navigator', { hardwareConcurrency: 2 });
    const release = await host.startEngine();
    expect(fake.created).toBe(0);
    await parsesHere(session);
    release();
    // Told to, it starts the worker all the same.
    const forced = await host.startEngine('worker');
    expect(fake.created).toBe(1);
    forced();
  });
});

describe('where a sync parses its posts', () => {
  it("is Chrome's worker when a core is free for it, or when the machine does not say; Firefox's always", async () => {
    const { usesWorker } = await import('./engine-host');
    // Chrome: the worker needs an offscreen document.
    expect(usesWorker('auto', 1, true)).toBe(false);
    expect(usesWorker('auto', 2, true)).toBe(false);
    expect(usesWorker('auto', 4, true)).toBe(true);
    expect(usesWorker('auto', undefined, true)).toBe(true);
    // Firefox: its background page starts the worker.
    expect(usesWorker('auto', 2, false)).toBe(true);
    // Told.
    expect(usesWorker('worker', 2, true)).toBe(true);
    expect(usesWorker('background', 16, false)).toBe(false);
  });
});
