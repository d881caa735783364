// Chrome's offscreen document for a sync (reason WORKERS): an extension's
// service worker cannot start a Worker, so this page starts the sync engine's
// worker and hands the service worker a MessagePort to it. It holds nothing
// else and is closed when no sync needs it (background/engine-host.ts).
import { ENGINE_PORT } from '../engine/protocol';

const worker = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' });
const channel = new MessageChannel();
worker.postMessage({ type: ENGINE_PORT }, [channel.port1]);
void navigator.serviceWorker.ready.then((registration) => {
  registration.active?.postMessage({ type: ENGINE_PORT }, [channel.port2]);
});
