// The sync engine's worker. Firefox's background page starts it directly and
// talks to it; in Chrome an offscreen document starts it (an extension's
// service worker cannot) and hands the background a MessagePort to it.
import { Engine } from './engine';
import { serve } from './link';
import { ENGINE_PORT } from './protocol';

// A dedicated worker's scope speaks as a MessagePort does.
const scope = self as unknown as MessagePort;

serve(scope, new Engine());
// A port handed over (Chrome) gets an engine of its own: a background started
// again numbers its sessions from the start.
scope.addEventListener('message', (event: MessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === ENGINE_PORT && event.ports[0]) serve(event.ports[0], new Engine());
});
