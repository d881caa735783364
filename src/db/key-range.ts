// Reading every row under a key prefix without holding them all: a large
// archive's posts, files or staged rows are read in primary-key order, a
// chunk at a time, each chunk after the last key of the one before.
import type { Table } from 'dexie';

/** Visits the rows whose primary key (a string) starts with `prefix`, `limit` at a time, in key order. */
export async function eachUnderPrefix<T, Insert>(
  table: Table<T, string, Insert>,
  prefix: string,
  limit: number,
  keyOf: (row: T) => string,
  visit: (rows: T[]) => void | Promise<void>,
): Promise<void> {
  let lower = prefix;
  let inclusive = true;
  for (;;) {
    const rows = await table.where(':id').between(lower, `${prefix}\uffff`, inclusive, true).limit(limit).toArray();
    if (rows.length === 0) return;
    await visit(rows);
    lower = keyOf(rows[rows.length - 1]!);
    inclusive = false;
  }
}
