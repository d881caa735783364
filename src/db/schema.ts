// The archive's IndexedDB schema, in the extension's origin only. Opened by
// the background and extension pages; never by a content script (on
// youtube.com that would be YouTube's storage).
//
// Migration path: never edit a released version. Add a new entry to
// VERSIONS with the changed stores and, if records must change, an `upgrade`
// that rewrites them; Dexie runs every missing step in order.
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { StoredPost } from '../core/twins';
import type { ArchiveRepo, SiteConfig } from '../core/site';

export interface PostRecord extends StoredPost {
  /** `${sourceId}|${id}`: a post is kept once per source. */
  key: string;
  sourceId: string;
  /** Multi-entry index: the video(s) this post archives. */
  videoIds: string[];
  /** Multi-entry index: videos only mentioned in the body. */
  mentionIds: string[];
}

export interface SourceRecord {
  id: string;
  kind: 'builtin' | 'github' | 'file' | 'bundle';
  name: string;
  repo: ArchiveRepo | null;
  site: SiteConfig | null;
  postCount: number;
  failureCount: number;
  importedAt: number;
}

export const DB_NAME = 'archivelens';

interface Version {
  version: number;
  stores: Record<string, string>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

export const VERSIONS: Version[] = [
  {
    version: 1,
    stores: {
      posts: 'key, id, sourceId, *videoIds, *mentionIds, channel, time, *tags, [sourceId+time]',
      sources: 'id',
    },
  },
];

export type ArchiveDb = Dexie & {
  posts: EntityTable<PostRecord, 'key'>;
  sources: EntityTable<SourceRecord, 'id'>;
};

export function openArchive(name = DB_NAME): ArchiveDb {
  const db = new Dexie(name) as ArchiveDb;
  for (const v of VERSIONS) {
    const step = db.version(v.version).stores(v.stores);
    if (v.upgrade) step.upgrade(v.upgrade);
  }
  return db;
}
