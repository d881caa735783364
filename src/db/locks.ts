// One writer per source at a time. Syncs (background), file imports (the
// options page, which can read the user's files) and start-up cleanup all
// write a source's rows; each holds the source's lock while it does.
//
// The platform's Web Locks are shared by every context of the extension's
// origin (service worker, background page, options page) and are released by
// the browser when their holder goes away: a closed options tab no longer
// holds its import's lock, so cleanup can tell an abandoned import from a
// running one without guessing. Node (tests, CLI) has no `navigator.locks`
// before v22: a small in-process queue stands in with the same semantics.

export const BUSY = Symbol('busy');

interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

const queues = new Map<string, Promise<unknown>>();
const held = new Set<string>();

const inProcess: LockManagerLike = {
  async request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T> {
    if (options.ifAvailable && (held.has(name) || queues.has(name))) return callback(null);
    const before = queues.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    queues.set(name, tail);
    await before;
    held.add(name);
    try {
      return await callback({ name });
    } finally {
      held.delete(name);
      release();
      if (queues.get(name) === tail) queues.delete(name);
    }
  },
};

function locks(): LockManagerLike {
  const platform = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  return platform ?? inProcess;
}

const lockName = (sourceId: string) => `archivelens:source:${sourceId}`;

/** Runs `work` holding the source's lock, waiting for the current holder. */
export function withSourceLock<T>(sourceId: string, work: () => Promise<T>): Promise<T> {
  return locks().request(lockName(sourceId), {}, () => work());
}

/** Runs `work` holding the source's lock if nobody holds it now; else BUSY, at once. */
export function ifSourceFree<T>(sourceId: string, work: () => Promise<T>): Promise<T | typeof BUSY> {
  return locks().request<T | typeof BUSY>(lockName(sourceId), { ifAvailable: true }, (lock) => (lock ? work() : Promise.resolve(BUSY)));
}
