// Work run in a worker started for it and ended after it, from Firefox's
// background page: what the work read and threw away goes with the worker,
// where the page's collector would leave it for seconds (its heap is large
// after a sync, and it lets garbage grow to twice and more of what it keeps).
// Chrome's service worker cannot start a worker; there, and wherever one
// cannot start or dies, the work runs here.

/** What such a worker sends back. */
export type WorkerAnswer<Done> = { ok: true; done: Done } | { ok: false; error: string };

/** Runs `ask` in a worker from `start`, or `here` where none starts or it dies; rejects with the worker's failure. */
export function inOwnWorker<Ask, Done>(start: () => Worker, ask: Ask, here: () => Promise<Done>): Promise<Done> {
  return new Promise<Done>((resolve, reject) => {
    let worker: Worker;
    // Work a worker left unfinished is done again: each kind is safe to repeat (its writes are keyed).
    const fallback = () => void here().then(resolve, reject);
    try {
      worker = start();
    } catch {
      fallback();
      return;
    }
    worker.onmessage = ({ data }: MessageEvent<WorkerAnswer<Done>>) => {
      worker.terminate();
      if (data.ok) resolve(data.done);
      else reject(new Error(data.error));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      fallback();
    };
    worker.postMessage(ask);
  });
}

/** A worker's side: answers each message with `work`'s result or failure. */
export function answerWith<Ask, Done>(work: (ask: Ask) => Promise<Done>): void {
  const scope = self as unknown as { onmessage: ((event: MessageEvent<Ask>) => void) | null; postMessage(answer: WorkerAnswer<Done>): void };
  scope.onmessage = ({ data }) => {
    void work(data)
      .then((done): WorkerAnswer<Done> => ({ ok: true, done }), (error: unknown): WorkerAnswer<Done> => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
      .then((answer) => scope.postMessage(answer));
  };
}
