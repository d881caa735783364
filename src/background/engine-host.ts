// Where the sync engine's worker (engine) runs while a sync needs it:
// Firefox's background page starts the Worker itself; Chrome's service worker
// cannot, so an offscreen document starts it and sends back a port. The
// worker stops when the last session on it closes, and a sync goes on in this
// thread if no worker can be had.
import { portLink, type EngineLink } from '../engine/link';
import { useEngine } from '../engine/session';
import { ENGINE_PORT } from '../engine/protocol';

const OFFSCREEN_URL = 'src/offscreen/index.html';
/** How long the offscreen document may take to send its port; past it the sync parses in this thread. */
const PORT_TIMEOUT_MS = 10_000;

interface OffscreenApi {
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}
interface ChromeRuntime {
  getContexts?(filter: { contextTypes: string[] }): Promise<unknown[]>;
}
const chromeApi = (globalThis as { chrome?: { offscreen?: OffscreenApi; runtime?: ChromeRuntime } }).chrome;
const offscreen = typeof Worker === 'undefined' ? chromeApi?.offscreen : undefined;

let link: EngineLink | null = null;
/** Syncs and engine sessions that need the worker (EngineLifetime). */
let users = 0;
let starting: Promise<void> | null = null;
let portArrived: ((port: MessagePort) => void) | null = null;
/** Opening and closing the offscreen document, one after another (a close must not land on the next sync's document). */
let documents: Promise<unknown> = Promise.resolve();
const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
  const turn = documents.then(work);
  documents = turn.catch(() => {});
  return turn;
};

// The offscreen document's port arrives as a message to this service worker;
// listened for from the start, as Chrome wants of a service worker's events.
if (offscreen && typeof self !== 'undefined' && 'addEventListener' in self) {
  self.addEventListener('message', (event: Event) => {
    const { data, ports } = event as MessageEvent;
    if ((data as { type?: string } | null)?.type === ENGINE_PORT && ports[0]) portArrived?.(ports[0]);
  });
}

const lifetime = {
  retain() {
    users++;
  },
  release() {
    if (--users === 0) stop();
  },
};

/**
 * Where a full sync parses and indexes its posts: in the sync engine's
 * worker (`auto`), or in this thread (`background`, when `storage.local`'s
 * `syncEngine` says so). Chrome's worker needs an offscreen document, and on
 * two cores the two take turns with this thread and the browser's database
 * threads. Two CI runs of the same day on one 2-core machine, Chromium,
 * December 2026 (the machine was 1.4–1.7 times slower than on earlier days):
 *
 * | | with the worker | in this thread |
 * |---|---|---|
 * | teahouse's size | 14.2 s; peak 442 MiB | 12.4 s; peak 387 MiB |
 * | society ×8 | 52.3 s; peak 518 MiB | 48.6 s; peak 553 MiB |
 * | heavy | 62.7 s; peak 535 MiB | 71.8 s; peak 503 MiB |
 * | society ×32 | 237.7 s; peak 600 MiB | 223.2 s; peak 755 MiB |
 *
 * Only teahouse's peak was lower in every run without the worker (374–396
 * against 442–462 MiB in five runs each, end-to-end and CI); the rest is
 * within the runs' spread, so the worker stays the default until alternated
 * runs of the large scenarios tell them apart.
 */
export type EngineChoice = 'auto' | 'worker' | 'background';

/** The `storage.local` key that says where syncs parse (EngineChoice). */
export const ENGINE_CHOICE_KEY = 'syncEngine';

/** Whether a sync starts the worker (see EngineChoice). */
export function usesWorker(choice: EngineChoice): boolean {
  return choice !== 'background';
}

/**
 * Starts the worker unless it runs or `choice` says not to; a full sync calls it before reading its
 * download, and calls what it returns when it ends (the worker stops once no
 * sync and no session needs it). Never throws: without a worker, the
 * background does the work itself.
 */
export async function startEngine(choice: EngineChoice = 'auto'): Promise<() => void> {
  if (!usesWorker(choice)) return () => {};
  lifetime.retain();
  let released = false;
  const release = () => {
    if (!released) lifetime.release();
    released = true;
  };
  if (!link?.alive) await opening();
  return release;
}

function opening(): Promise<void> {
  starting ??= open()
    .then((opened) => {
      link = opened;
      useEngine(opened, lifetime);
    })
    .catch((error: unknown) => {
      console.warn('ArchiveLens: the sync engine could not start; syncs parse in the background', error);
      useEngine(null);
    })
    .finally(() => (starting = null));
  return starting;
}

async function open(): Promise<EngineLink | null> {
  if (typeof Worker !== 'undefined') {
    return portLink(new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' }));
  }
  if (!offscreen) return null;
  return inTurn(async () => {
    await closeOffscreen();
    return portLink(await offscreenPort(offscreen));
  });
}

async function offscreenPort(offscreen: OffscreenApi): Promise<MessagePort> {
  const port = new Promise<MessagePort>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the offscreen document sent no port')), PORT_TIMEOUT_MS);
    portArrived = (received) => {
      clearTimeout(timer);
      portArrived = null;
      resolve(received);
    };
  });
  port.catch(() => {});
  await offscreen.createDocument({ url: OFFSCREEN_URL, reasons: ['WORKERS'], justification: 'Parses and indexes posts while an archive syncs.' });
  return port;
}

/** Closes an offscreen document left by this service worker or an earlier one. */
async function closeOffscreen(): Promise<void> {
  if (!offscreen) return;
  const open = (await chromeApi?.runtime?.getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'] })) ?? [];
  if (open.length) await offscreen.closeDocument().catch(() => {});
}

function stop(): void {
  if (starting) return;
  link?.close();
  link = null;
  useEngine(null);
  void inTurn(closeOffscreen);
}

// One left by a service worker that was stopped mid-sync holds an idle worker: it goes.
if (offscreen) void inTurn(closeOffscreen);
