// Work that several callers may ask for at once (a large read, a build from
// the stored posts): the first starts it, the others join it until it settles.

/** The work under way for `key`, or `start()`'s, shared by every caller until it settles. */
export function joinOrStart<K, T>(pending: Map<K, Promise<T>>, key: K, start: () => Promise<T>): Promise<T> {
  const running = pending.get(key);
  if (running) return running;
  const started = start();
  pending.set(key, started);
  const done = () => {
    if (pending.get(key) === started) pending.delete(key);
  };
  started.then(done, done);
  return started;
}
