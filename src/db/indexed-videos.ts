// The packs holding a video's posts, as a source's search index says when its
// docs are in memory: no read of the video directory first (core/video-ordinals.ts).
import { packAt, packKeyOf } from '../core/pack-runs';
import { VideoOrdinals } from '../core/video-ordinals';
import type { VideoDirectory } from './post-directory';
import type { KnownPacks } from './post-store';
import type { ArchiveDb, SourceRecord } from './schema';
import { sourcesById } from './sources-cache';
import { docsInMemory, hiddenOrdinals, type LoadedDocs } from './search-index';

const tables = new WeakMap<LoadedDocs, VideoOrdinals>();

type WithVideos = LoadedDocs & { videos: Uint8Array; packRuns: NonNullable<LoadedDocs['packRuns']> };

/** Whether an index keeps its posts' videos and packs (those built before it did are read through the directories). */
const withVideos = (docs: LoadedDocs | null): docs is WithVideos => docs?.videos !== undefined && docs.packRuns !== undefined;

function tableOf(docs: WithVideos): VideoOrdinals {
  let table = tables.get(docs);
  if (!table) tables.set(docs, (table = VideoOrdinals.build(docs.videos, docs.times.length)));
  return table;
}

/**
 * Builds the tables of the indexes whose docs are in memory, as search is
 * readied, so the first lookup does not wait for one (≈ 20 ms at 490,000 posts).
 */
export async function prepareVideoTables(db: ArchiveDb): Promise<void> {
  for (const source of (await sourcesById(db)).values()) {
    const docs = docsInMemory(db, source);
    if (withVideos(docs)) tableOf(docs);
  }
}

/**
 * The keys of the packs that hold posts of these videos in the generation a
 * video directory lists, from its source's index, or null when the index's
 * docs are not in memory or cannot say (the caller reads the directory).
 * Posts changed since the index was built are left to the caller's other
 * reads (the posts' `videoIds` index lists the packs they were written to).
 */
export function indexedPacksOfVideos(db: ArchiveDb, sources: ReadonlyMap<string, SourceRecord>, directory: VideoDirectory, videoIds: readonly string[]): string[] | null {
  const source = sources.get(directory.sourceId);
  const docs = source ? docsInMemory(db, source) : null;
  if (!source || !withVideos(docs) || docs.gen !== directory.gen) return null;
  const table = tableOf(docs);
  const hidden = hiddenOrdinals(docs, source.searchIndex!.changed);
  const prefix = `${source.id}|${docs.gen}|`;
  const packs = new Set<string>();
  for (const id of videoIds) {
    for (const ordinal of table.ordinalsOf(id)) {
      if (hidden?.[ordinal]) continue;
      const pack = packAt(docs.packRuns, ordinal);
      // A post whose pack the index did not learn: the directory knows it.
      if (Number.isNaN(pack)) return null;
      packs.add(packKeyOf(prefix, pack));
    }
  }
  return [...packs];
}

/** indexedPacksOfVideos for postsOfVideos, with the sources as the caller read them (sourcesById). */
export const knownPacks = (db: ArchiveDb, sources: ReadonlyMap<string, SourceRecord>): KnownPacks => (directory, videoIds) => indexedPacksOfVideos(db, sources, directory, videoIds);
