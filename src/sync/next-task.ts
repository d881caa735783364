/**
 * Resolves in a later task of this thread, once the tasks already queued (the
 * database's answers among them) have run. A message on a channel of its own,
 * not a timer: browsers clamp timers nested five deep to 4 ms, and a batch
 * parsed a turn at a time slept that long between most turns. Not
 * `scheduler.yield()` either: its continuation runs before other queued
 * tasks, which is what the turns are there to let through.
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
