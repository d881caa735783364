// The sync engine behind a MessageChannel, as the background talks to its
// worker (engine/link.ts), for tests of a sync whose engine is elsewhere.
import { Engine } from '../../src/engine/engine';
import { portLink, serve, type EngineLink } from '../../src/engine/link';
import type { Envelope, Request } from '../../src/engine/protocol';

/** An engine behind a MessageChannel, as the worker is; `requests` counts what it was asked, and `seen` is shown each request first. */
export function engineOverPort(seen: (request: Request) => void = () => {}): { link: EngineLink; requests: Map<string, number>; channel: MessageChannel } {
  const channel = new MessageChannel();
  const requests = new Map<string, number>();
  serve(channel.port1, new Engine());
  const served = channel.port1.onmessage!;
  channel.port1.onmessage = (event) => {
    const { request } = event.data as Envelope;
    requests.set(request.op, (requests.get(request.op) ?? 0) + 1);
    seen(request);
    served.call(channel.port1, event);
  };
  return { link: portLink(channel.port2), requests, channel };
}
