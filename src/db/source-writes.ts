// Which archive's sources a committed transaction changed, told to this page
// and, through a BroadcastChannel, to the extension's other pages: what
// sources-cache.ts needs to drop its copy of them.
import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';

/** Tells the extension's other pages (the background, the options page) which archive's sources changed. */
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('archivelens-sources') : null;
const listeners = new Set<(name: string) => void>();
if (channel) channel.onmessage = (event: MessageEvent<{ name?: unknown }>) => heard(String(event.data?.name));
// In Node (the command-line tool, tests), an open channel would keep the process running.
(channel as { unref?: () => void } | null)?.unref?.();

function heard(name: string): void {
  for (const listener of listeners) listener(name);
}

/** Calls `listener` with the archive's name after each committed write to its sources, made here or in another page. */
export function onSourcesWritten(listener: (name: string) => void): void {
  listeners.add(listener);
}

function sourcesWritten(name: string): void {
  heard(name);
  channel?.postMessage({ name });
}

const watched = new WeakSet<object>();

/**
 * Reports every transaction that writes the sources when it commits. Dexie's
 * own reports (`storagemutated`, its Observability middleware, which
 * openArchive leaves out) record the keys of every index of every write for
 * liveQuery, which ArchiveLens does not use: 0.3 s of the service worker's
 * time in the sync of 30,542 posts in Chromium.
 */
export const reportSourceWrites: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'SourceWrites',
  create: (core) => ({
    ...core,
    table(name) {
      const table = core.table(name);
      if (name !== 'sources') return table;
      return {
        ...table,
        mutate(req: DBCoreMutateRequest) {
          const trans = req.trans as unknown as IDBTransaction;
          if (!watched.has(trans)) {
            watched.add(trans);
            trans.addEventListener('complete', () => sourcesWritten(core.schema.name));
          }
          return table.mutate(req);
        },
      };
    },
  }),
};

