// The background's side of the engine (protocol.ts): requests over a message
// port to its worker, or to an Engine in the same thread when there is no
// worker (Node's tests, a browser that would not start one). Requests on one
// port are answered in order, but for those that only wait for the database
// (protocol.ts OUT_OF_TURN).
import { Engine } from './engine';
import { isQuotaError } from '../db/quota';
import { OUT_OF_TURN, type Answer, type Envelope, type Reply, type Request } from './protocol';

export interface EngineLink {
  call<R extends Request>(request: R, transfer?: Transferable[]): Promise<Reply<R>>;
  /** Whether requests still reach an engine (a worker that stopped answering does not). */
  readonly alive: boolean;
  /** Ends the link; requests not answered fail. */
  close(): void;
}

/** An engine in this thread: nothing is copied, and the work is done where it is asked for. */
export function inlineLink(engine = new Engine()): EngineLink {
  return {
    alive: true,
    async call(request) {
      // Answered in the same turn but for `unpack` (an index's segments are cut by what `add` answers then).
      const handled = engine.handle(request);
      return handled instanceof Promise ? (await handled).reply : handled.reply;
    },
    close() {},
  };
}

/** What a request that got no answer throws: the sync treats it as passing (it is resumed). */
export class EngineLost extends Error {
  constructor(message = 'The sync engine stopped answering') {
    super(message);
    this.name = 'EngineLost';
  }
}

/**
 * No request takes this long (the longest is parsing a batch of 500 posts,
 * well under a second): a worker that does not answer is taken for gone.
 */
export const ANSWER_TIMEOUT_MS = 60_000;

type Port = Pick<MessagePort, 'postMessage'> & { onmessage: ((event: MessageEvent) => void) | null; close?(): void; terminate?(): void };

/** Requests over a port: a MessagePort to the worker, or the Worker itself. */
export function portLink(port: Port, timeoutMs = ANSWER_TIMEOUT_MS): EngineLink {
  const waiting = new Map<number, { resolve: (reply: never) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  let nextId = 0;
  let alive = true;
  const fail = (error: Error) => {
    alive = false;
    for (const { reject, timer } of waiting.values()) {
      clearTimeout(timer);
      reject(error);
    }
    waiting.clear();
  };
  port.onmessage = (event: MessageEvent) => {
    const answer = event.data as Answer;
    const pending = waiting.get(answer.id);
    if (!pending) return;
    waiting.delete(answer.id);
    clearTimeout(pending.timer);
    if (answer.ok) pending.resolve(answer.reply as never);
    else pending.reject(Object.assign(new Error(answer.error), answer.name ? { name: answer.name } : {}));
  };
  return {
    get alive() {
      return alive;
    },
    call<R extends Request>(request: R, transfer: Transferable[] = []) {
      if (!alive) return Promise.reject(new EngineLost());
      const id = nextId++;
      return new Promise<Reply<R>>((resolve, reject) => {
        const timer = setTimeout(() => {
          fail(new EngineLost());
          // A worker that stopped answering is ended: a batch it is saving (engine/saving.ts)
          // must not be stored after the sync has gone on without it.
          port.terminate?.();
        }, timeoutMs);
        waiting.set(id, { resolve: resolve as (reply: never) => void, reject, timer });
        try {
          port.postMessage({ id, request } satisfies Envelope, transfer);
        } catch (error) {
          waiting.delete(id);
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
    close() {
      fail(new EngineLost('The sync engine was closed'));
      port.onmessage = null;
      port.close?.();
      port.terminate?.();
    },
  };
}

/** Answers requests arriving on a port (the worker's side), one after another, in the order they came (but for OUT_OF_TURN). */
export function serve(port: Port, engine: Engine): void {
  let turn: Promise<void> = Promise.resolve();
  const answer = async (id: number, request: Request) => {
    let answer: Answer;
    let transfer: ArrayBuffer[] = [];
    try {
      const handled = await engine.handle(request);
      answer = { id, ok: true, reply: handled.reply };
      transfer = handled.transfer;
    } catch (error) {
      answer = { id, ok: false, error: error instanceof Error ? error.message : String(error), name: failureName(error) };
    }
    port.postMessage(answer, transfer);
  };
  port.onmessage = (event: MessageEvent) => {
    const envelope = event.data as Partial<Envelope> | null;
    if (!envelope?.request || typeof envelope.id !== 'number') return;
    const { id, request } = envelope as Envelope;
    // Answered when its turn comes, but the requests after it do not wait for its answer.
    turn = turn.then(() => (OUT_OF_TURN.has(request.op) ? void answer(id, request) : answer(id, request)));
  };
}

/** A full disk keeps its name across the port, however Dexie wrapped it (db/quota.ts). */
function failureName(error: unknown): string {
  if (isQuotaError(error)) return 'QuotaExceededError';
  return error instanceof Error ? error.name : 'Error';
}
