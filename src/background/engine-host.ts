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
 * worker, in this thread, or (`auto`) as measured best for this browser and
 * machine. Chrome's worker needs an offscreen document, and the two cost the
 * extension's process 55–120 MiB during a sync; on two cores they only take
 * turns with this thread and the browser's database threads. There `auto`
 * parses in this thread, and the worker is used only with more than two
 * cores. Chromium on two cores, end-to-end scenarios run alternately with
 * each build, December 2026:
 *
 * | | with the worker | in this thread |
 * |---|---|---|
 * | teahouse's size | 13.1, 13.9 s; peak 443, 462 MiB | 16.3, 14.7 s; peak 381, 396 MiB |
 * | society ×8 | 46.6, 42.9 s; peak 518, 514 MiB | 43.2, 49.9 s; peak 453, 445 MiB |
 * | heavy | 77.4, 66.5 s; peak 571, 586 MiB | 78.7, 72.0 s; peak 482, 463 MiB |
 * | society ×32 | 215.2 s; peak 794 MiB | 196.7 s; peak 568 MiB |
 *
 * (Teahouse's size without the worker in five runs, end-to-end and CI:
 * 374–412 MiB. The ×32 peak spread 602–809 MiB in earlier runs.) Since the
 * worker also unpacks the download (engine/unpacker.ts), the two measured
 * alike there: society ×8, three runs of each alternated on a faster machine
 * (`ENGINE=… scripts/probe/sync-memory.ts`, December 6, 2026): 13.4–14.1 s
 * and 435–540 MiB with the worker, 13.1–14.2 s and 409–476 MiB without.
 *
 * Firefox's background page starts its worker itself, with no document, and
 * there the worker measured no costlier (society ×8: 33.0 s and 732 MiB with
 * it, 31.0 s and 756 MiB without; 43.8 and 574 against 32.4 and 667), so
 * `auto` keeps it. Since the worker unpacks too, it is far the lighter there:
 * society ×32 peaked at 836 MiB without it (the sync 125.5 s), against 460,
 * 454, 461 and 438 with it (141–146 s; scripts/probe/firefox-memory.ts with
 * and without `ENGINE=background`, December 8, 2026). `storage.local`'s
 * `syncEngine` overrides the choice (the end-to-end runs keep the worker's
 * path tested so).
 */
export type EngineChoice = 'auto' | 'worker' | 'background';

/** The `storage.local` key of the override. */
export const ENGINE_CHOICE_KEY = 'syncEngine';

/**
 * Whether a sync starts the worker (see EngineChoice). `cores` is what the
 * browser says (a browser that does not say gets the worker); `document`,
 * whether the worker needs an offscreen document (Chrome).
 */
export function usesWorker(choice: EngineChoice, cores: number | undefined = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency, document = Boolean(offscreen)): boolean {
  if (choice !== 'auto') return choice === 'worker';
  return !document || cores === undefined || cores > 2;
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
