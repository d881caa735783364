// The key of a search index's row, its own module: the sync engine's worker
// writes a segment's rows (engine/engine.ts) without the rest of the index.

/** The key of an index row: a segment's bucket, or (from `buckets` on) a gram's own row. */
export const bucketKey = (sourceId: string, gen: number, build: number, segment: number, bucket: number) => `${sourceId}|${gen}|${build}|${segment === 0 ? '' : `${segment}:`}${bucket}`;
