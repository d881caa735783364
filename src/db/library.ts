// What the library page shows of the whole archive: channels, months and tags
// with their post counts. Counted once per index build (GenerationIndex), so
// this only merges a few small tables per source.
import { sourcesById } from './sources-cache';
import type { ArchiveDb } from './schema';
import { docsKey, hasIndex, loadDocs } from './search-index';
import type { LibraryOverview } from '../shared/messages';
import type { Facets } from '../core/facets';

const SHOWN_TAGS = 300;
const SHOWN_CHANNELS = 1000;

/** `followed`: the counts published with followed indexes (background/followed.ts), added to the archive's own. */
export async function libraryOverview(db: ArchiveDb, followed: readonly { posts: number; facets: Facets }[] = []): Promise<LibraryOverview> {
  const sources = [...(await sourcesById(db)).values()];
  const current = new Set(sources.filter(hasIndex).map((s) => docsKey(s.id, s.searchIndex.gen, s.searchIndex.build)));
  const channels = new Map<string, number>();
  const months = new Map<string, number>();
  const tags = new Map<string, number>();
  let posts = 0;
  let pending = 0;
  // Every index's list read at once, not one after another.
  const loaded = await Promise.all(sources.map((source) => (hasIndex(source) ? loadDocs(db, source.id, source.searchIndex, current) : null)));
  for (const [i, source] of sources.entries()) {
    const docs = loaded[i];
    if (!docs?.facets) {
      pending++;
      continue;
    }
    posts += source.postCount;
    const add = (map: Map<string, number>, rows: [string, number][]) => {
      for (const [name, count] of rows) map.set(name, (map.get(name) ?? 0) + count);
    };
    add(channels, docs.facets.channels);
    add(months, docs.facets.months);
    add(tags, docs.facets.tags);
  }
  for (const index of followed) {
    posts += index.posts;
    for (const [map, rows] of [[channels, index.facets.channels], [months, index.facets.months], [tags, index.facets.tags]] as const) {
      for (const [name, count] of rows) map.set(name, (map.get(name) ?? 0) + count);
    }
  }
  const byCount = (map: Map<string, number>, max: number) => [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max);
  return {
    posts,
    pending,
    channelCount: channels.size,
    channels: byCount(channels, SHOWN_CHANNELS),
    months: [...months].sort((a, b) => (a[0] < b[0] ? 1 : -1)),
    tags: byCount(tags, SHOWN_TAGS),
  };
}
