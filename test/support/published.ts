// A published index read from disk as the extension reads it from its host.
import { join } from 'node:path';
import { decodeRow, docsFile, META_FILE, readDocs, readMeta, rowFile, type SegmentFiles } from '../../src/core/published-search';
import { publishedBytes, publishedText } from './archives';

/** The segments of the index published in `dir`, read from disk as the extension reads them from the host. */
export function segmentsIn(dir: string, asked = () => {}): SegmentFiles[] {
  return readMeta(publishedText(join(dir, META_FILE)))!.segments.map((meta) => ({
    meta,
    row: async (row) => {
      asked();
      try {
        return decodeRow(publishedBytes(join(dir, rowFile(meta.id, row))));
      } catch {
        return null;
      }
    },
    docs: async (n) => {
      asked();
      return readDocs(publishedText(join(dir, docsFile(meta.id, n)))) ?? [];
    },
  }));
}

