// The sources, kept in memory between reads. Every search, lookup and marks
// request reads them first, and at 122,000 posts that read was one more
// IndexedDB round trip in front of each answer (0.2 ms alone; 4–5 ms at times
// while a sync's writes were still being compacted). They change only when a
// sync, an import, an index build or a removal commits, and each transaction
// that writes them is reported when it commits (reportSourceWrites): in this
// context at once, and to the extension's other pages through a
// BroadcastChannel. That drops the copy; a read that raced with the write is
// not kept.
//
// Only for reads outside write transactions: what writes sources reads them
// inside its own transaction, as before.
import { onSourcesWritten } from './source-writes';
import type { ArchiveDb, SourceRecord } from './schema';

interface Copy {
  /** Bumped by every write to the sources: a read begun before it is not kept. */
  epoch: number;
  sources: ReadonlyMap<string, SourceRecord> | null;
  /** The connection it was read through: a database closed, deleted or opened again is read again. */
  connection: IDBDatabase | null;
}

const copies = new Map<ArchiveDb, Copy>();

onSourcesWritten((name) => {
  for (const db of copies.keys()) if (db.name === name) forgetSources(db);
});

/** Drops the copy (a change the background was told of). */
export function forgetSources(db: ArchiveDb): void {
  const copy = copies.get(db);
  if (!copy) return;
  copy.epoch++;
  copy.sources = null;
}

const connectionOf = (db: ArchiveDb) => (db.isOpen() ? db.backendDB() : null);

/** Every source by id. Do not change what it returns: it is shared until the next write. */
export async function sourcesById(db: ArchiveDb): Promise<ReadonlyMap<string, SourceRecord>> {
  let copy = copies.get(db);
  if (!copy) copies.set(db, (copy = { epoch: 0, sources: null, connection: null }));
  if (copy.sources && copy.connection === connectionOf(db)) return copy.sources;
  const epoch = copy.epoch;
  const sources = new Map((await db.sources.toArray()).map((s) => [s.id, Object.freeze(s)]));
  if (copy.epoch === epoch) {
    copy.sources = sources;
    copy.connection = connectionOf(db);
  }
  return sources;
}
