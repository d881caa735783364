// The sync engine behind a MessageChannel, as the background talks to its
// worker (engine/link.ts), for tests of a sync whose engine is elsewhere.
import { Engine } from '../../src/engine/engine';
import { portLink, serve, type EngineLink } from '../../src/engine/link';
import type { Envelope } from '../../src/engine/protocol';

/** An engine behind a MessageChannel, as the worker is; `requests` counts what it was asked. */
export function engineOverPort(): { link: EngineLink; requests: Map<string, number>; channel: MessageChannel } {
  const channel = new MessageChannel();
  const requests = new Map<string, number>();
  serve(channel.port1, new Engine());
  const served = channel.port1.onmessage!;
  channel.port1.onmessage = (event) => {
    const op = (event.data as Envelope).request.op;
    requests.set(op, (requests.get(op) ?? 0) + 1);
    served.call(channel.port1, event);
  };
  return { link: portLink(channel.port2), requests, channel };
}
