// Writes through the current transaction's own IndexedDB store, not Dexie's
// bulkPut, for the large values a sync writes (post-store.ts putPacks says
// why: Dexie's closures hold every value until the database answers, and the
// batch's text was promoted to the old generation so). Not a Dexie write: no
// middleware sees it (the archive's only one watches the sources table). A
// failed put fails the transaction, as Dexie's would.
import Dexie, { type Table } from 'dexie';

/**
 * Puts `values` into `table` and returns what waits for the database,
 * holding none of them meanwhile; every request is sent before it returns.
 * Outside a transaction, Dexie's bulkPut.
 */
export function putNative<T>(table: Table<T>, values: readonly T[]): PromiseLike<unknown> {
  const idb = Dexie.currentTransaction?.idbtrans;
  if (!idb) return table.bulkPut(values as T[]);
  const store = idb.objectStore(table.name);
  let last: IDBRequest | undefined;
  for (const value of values) last = store.put(value);
  // Requests of a transaction end in order: the last one's success is all of theirs.
  return new Dexie.Promise((resolve, reject) => {
    if (!last) return resolve(undefined);
    const request = last;
    request.onsuccess = () => resolve(undefined);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Tells the database that the current transaction asks for nothing more, so
 * it commits once its requests are done instead of when this thread next
 * comes back to its event loop (after a batch's indexing, tens of
 * milliseconds later). Only once every request is sent: a request after it
 * fails.
 */
export function commitNow(): void {
  const idb = Dexie.currentTransaction?.idbtrans;
  if (idb && typeof idb.commit === 'function') idb.commit();
}
