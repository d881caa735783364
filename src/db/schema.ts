// The archive's IndexedDB schema, in the extension's origin only. Opened by
// the background and extension pages; never by a content script (on
// youtube.com that would be YouTube's storage).
//
// Migration path: never edit a released version. Add a new entry to
// VERSIONS with the changed stores and, if records must change, an `upgrade`
// that rewrites them; Dexie runs every missing step in order.
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { ArchiveRepo, SiteConfig } from '../core/site';
import type { UserMessage } from '../core/user-messages';
import type { StageTimes } from '../core/stages';
import type { FailureRecord, FileEntry, FilePackRecord, PostPackRecord, PostRecord, SearchBucketRecord, SearchDocsRecord, SourceSearchIndex } from './records';
import { entryOf, packsOf, type V6File } from './file-packs';
import { packPosts } from './post-packs';
import { reportSourceWrites } from './source-writes';
import type { FollowedBytesRecord, FollowedRecord, ShardRecord } from './followed';

export type { FailureRecord, FileEntry, FilePackRecord, PostPackRecord, PostRecord } from './records';

/** How the last sync of a source ended, for the options page. */
export interface LastSync {
  at: number;
  result: 'updated' | 'up-to-date' | 'failed' | 'cancelled';
  /** English wording (logs); the interface words `error` in the user's language. */
  message: string;
  /** Why it failed, as a message code and its arguments. */
  error?: UserMessage;
  added: number;
  changed: number;
  removed: number;
  moved: number;
  requests: number;
  bytes: number;
  ms: number;
  /** Of `ms`, what the search index took (a full sync; see SyncCounts), and of that, writing its rows. */
  indexMs?: number;
  indexWriteMs?: number;
  /** Where the sync's time went, stage by stage (sync/stages.ts). */
  stages?: StageTimes;
  /** Posts the source removed that the archive keeps, marked (see SourceRecord.removedCount). */
  kept?: number;
  /** A failure that may pass: when the background tries again by itself, and which try that will be; or that it gave up after `tries`. */
  retry?: { at: number; try: number; of: number } | { gaveUpAfter: number };
}

export interface GithubSourceConfig {
  owner: string;
  repo: string;
  /** Empty: the repository's default branch. */
  branch: string;
  folders: string[];
  /** The default branch as GitHub last named it, so checks cost one request. */
  defaultBranch?: string;
  /** The folders the stored files were read from: when `folders` differs, the next sync re-plans. */
  syncedFolders?: string[];
}

export interface SourceRecord {
  id: string;
  /** `published`: a followed index (db/followed.ts), never stored here; its posts are shown through a record of this shape. */
  kind: 'builtin' | 'github' | 'file' | 'bundle' | 'published';
  name: string;
  repo: ArchiveRepo | null;
  site: SiteConfig | null;
  postCount: number;
  failureCount: number;
  importedAt: number;
  /** v2: the generation of posts and files that is visible (0 when absent). */
  gen?: number;
  github?: GithubSourceConfig;
  bundleUrl?: string;
  /** The commit (GitHub) the stored posts come from. */
  commitSha?: string;
  /** Validators of the last answer, for conditional requests. */
  etag?: string;
  lastModified?: string;
  configSha?: string;
  failures?: FailureRecord[];
  lastSync?: LastSync;
  /** v4: the search index of the visible generation (db/search-index.ts); absent until built. */
  searchIndex?: SourceSearchIndex;
  /** v8: posts the source removed are removed here too, instead of kept and marked (db/removed.ts). */
  mirrorRemovals?: boolean;
  /** v8: of `postCount`, the posts kept after the source removed them. */
  removedCount?: number;
  /**
   * v8: a sync of a source that mirrors removals found more than a fifth of
   * its posts gone (a folder renamed by mistake, a takedown): they are kept,
   * marked, until the reader confirms on the options page.
   */
  removalHeld?: { count: number; at: number };
  /**
   * GitHub: the shas of the trees in the synced folders at `commitSha`, by
   * path, so a sync of an archive too large for one listing lists only the
   * trees that changed (sync/tree-walk.ts).
   */
  trees?: Record<string, string>;
  /**
   * The video directory of the generation a full sync made visible (db/post-directory.ts): its
   * packs leave their videos out of `*videoIds`. Read only while `gen` is the source's generation.
   */
  videoDirectory?: { gen: number; rows: number };
}



/** Posts and files a running sync has read but not yet made visible. */
export interface StagedPost extends PostRecord {
  stageKey: string;
  jobId: string;
}
export interface StagedFile extends FileEntry {
  stageKey: string;
  jobId: string;
}

/** A sync in progress, checkpointed so a stopped service worker can resume it. */
export interface JobRecord {
  id: string;
  sourceId: string;
  mode: 'full' | 'incremental';
  /** The generation a full sync writes (incremental syncs change the current one). */
  gen: number;
  /** Run by an extension page (file import): it cannot be resumed by the background. */
  local?: boolean;
  commitSha: string;
  branch: string;
  etag?: string;
  moves: { from: string; to: string; sha: string; copyOf?: string }[];
  remove: string[];
  /**
   * Files to fetch (incremental). Empty for a full sync: its files come in
   * one tarball, and the listing's shas stay in memory (a resumed sync reads
   * them from the content); 122,000 entries in this record were 50 MiB of the
   * worker's memory while it was saved.
   */
  fetch: { path: string; sha: string; size?: number }[];
  total: number;
  configSha?: string;
  /** Tries of this job that failed for a reason that may pass, and when the background tries again by itself (core/retry.ts). */
  failedTries?: number;
  retryAt?: number;
  /** The folders an incremental job's files were listed from (a resumed job reads those, whatever the settings say now). */
  folders?: string[];
  site?: SiteConfig | null;
  /** The trees' shas at `commitSha` (SourceRecord.trees), when the listing gave them; a full sync without them computes them. */
  trees?: Record<string, string>;
  startedAt: number;
  requests: number;
  bytes: number;
}

/** A secret of a source (an access token): kept in the extension's IndexedDB, which content scripts cannot reach. */
/** A channel's usual text, as found from the archive named by `stamp` (db/boilerplate.ts). */
export interface UsualTextRecord {
  channel: string;
  stamp: string;
  headers: string[];
  footers: string[];
}

export interface SecretRecord {
  sourceId: string;
  token: string;
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
  {
    // Sync: the files of each source by path and blob sha, a staging area
    // that keeps a running sync invisible until it completes, and jobs.
    version: 2,
    stores: {
      posts: 'key, id, sourceId, *videoIds, *mentionIds, channel, time, *tags, [sourceId+time], [sourceId+gen]',
      files: 'key, sourceId, [sourceId+sha], [sourceId+gen]',
      staged: 'stageKey, jobId',
      stagedFiles: 'stageKey, jobId',
      jobs: 'id, sourceId',
    },
    upgrade: async (tx) => {
      await tx.table('sources').toCollection().modify((source: SourceRecord) => {
        source.failures ??= [];
        source.gen ??= 0;
      });
      // Version 1 keys were `${sourceId}|${id}`; they become generation 0.
      const posts = tx.table('posts');
      const old = (await posts.toArray()) as PostRecord[];
      await posts.clear();
      await posts.bulkPut(old.map((p) => ({ ...p, gen: 0, key: `${p.sourceId}|0|${p.id}` })));
    },
  },
  {
    // Access tokens move out of storage.local, which content scripts can read.
    version: 3,
    stores: { secrets: 'sourceId' },
  },
  {
    // The search index (db/search-index.ts). Existing archives get theirs
    // built by the background after the upgrade, a source at a time.
    version: 4,
    stores: { searchBuckets: 'key, [sourceId+gen]', searchDocs: 'key, [sourceId+gen]' },
  },
  {
    // Only the indexes something reads. Every index is written with every
    // post, and the unused ones (id, channel, time, tags, sourceId) were most
    // of the writes of a large sync: search, dates, channels and tags are
    // answered by the search index now, removal by [sourceId+gen].
    version: 5,
    stores: {
      posts: 'key, *videoIds, *mentionIds, [sourceId+gen]',
      files: 'key, [sourceId+sha], [sourceId+gen]',
    },
  },
  {
    // A copied file's content is found where the sync plan says it is
    // (core/sync-plan.ts), so files need no index by sha.
    version: 6,
    stores: { files: 'key, [sourceId+gen]' },
  },
  {
    // Files in packs (FilePackRecord), and a staged file names its post by id.
    version: 7,
    stores: {},
    upgrade: async (tx) => {
      const files = tx.table('files');
      const rows = (await files.toArray()) as V6File[];
      await files.clear();
      await files.bulkPut(packsOf(rows));
      await tx.table('stagedFiles').toCollection().modify((row: V6File & Partial<StagedFile>) => {
        Object.assign(row, entryOf(row));
        delete (row as Partial<V6File>).key;
        delete (row as Partial<V6File>).postKey;
        delete (row as Partial<V6File>).sourceId;
        delete (row as Partial<V6File>).gen;
      });
    },
  },
  {
    // Each channel's usual text (db/boilerplate.ts), found once per change of
    // the archive and kept across restarts of the background; and the posts a
    // source removed that the archive keeps (db/removed.ts), by source and
    // generation. Posts without `removedAt` are not in that index, so it costs
    // a sync's writes nothing.
    version: 8,
    stores: {
      usualText: 'channel',
      posts: 'key, *videoIds, *mentionIds, [sourceId+gen], [sourceId+gen+removedAt]',
    },
  },
  {
    // Posts in packs (db/post-store.ts): a record per post was a request per
    // post, two thirds of a large sync's time.
    version: 9,
    stores: { posts: 'key, *keys, *videoIds, *mentionIds, [sourceId+gen], *removedKeys' },
    upgrade: packStoredPosts,
  },
  {
    // Followed sources (db/followed.ts): published indexes, the files fetched
    // from them (by the time the host last confirmed them), and a tally of
    // those files' bytes per source.
    version: 10,
    stores: { followed: 'id', shards: 'key, sourceId, checkedAt', followedBytes: 'id' },
  },
];

/** Turns the posts stored one record each into packs, a chunk at a time. */
async function packStoredPosts(tx: Transaction): Promise<void> {
  const table = tx.table('posts');
  const keys = (await table.toCollection().primaryKeys()) as string[];
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = ((await table.bulkGet(keys.slice(i, i + 1000))) as (PostRecord | undefined)[]).filter((r): r is PostRecord => r !== undefined);
    await table.bulkDelete(rows.map((r) => r.key));
    await table.bulkPut(packPosts(rows));
  }
}

export type ArchiveDb = Dexie & {
  /** Packs of posts (db/post-store.ts), never read directly. */
  posts: EntityTable<PostPackRecord, 'key'>;
  sources: EntityTable<SourceRecord, 'id'>;
  files: EntityTable<FilePackRecord, 'key'>;
  staged: EntityTable<StagedPost, 'stageKey'>;
  stagedFiles: EntityTable<StagedFile, 'stageKey'>;
  jobs: EntityTable<JobRecord, 'id'>;
  secrets: EntityTable<SecretRecord, 'sourceId'>;
  searchBuckets: EntityTable<SearchBucketRecord, 'key'>;
  searchDocs: EntityTable<SearchDocsRecord, 'key'>;
  usualText: EntityTable<UsualTextRecord, 'channel'>;
  followed: EntityTable<FollowedRecord, 'id'>;
  shards: EntityTable<ShardRecord, 'key'>;
  followedBytes: EntityTable<FollowedBytesRecord, 'id'>;
};

export function openArchive(name = DB_NAME): ArchiveDb {
  // Relaxed durability: a transaction is complete once the database has it,
  // not once the disk has flushed it. Said outright rather than left to the
  // browser's default: writing society twice as packs took 1.27 s with the
  // default and 0.83 s relaxed in Chromium; as one record per post no
  // difference stood out of the noise (bench/idb-records.ts). What a crash
  // could lose is the last moments of a sync, which resumes from what is
  // stored; Firefox ignores the option.
  // No liveQuery: neither its cache nor its record of what each write changed (see sources-cache.ts).
  const db = new Dexie(name, { chromeTransactionDurability: 'relaxed', cache: 'disabled' }) as ArchiveDb;
  db.unuse({ stack: 'dbcore', name: 'Observability' });
  db.use(reportSourceWrites);
  for (const v of VERSIONS) {
    const step = db.version(v.version).stores(v.stores);
    if (v.upgrade) step.upgrade(v.upgrade);
  }
  return db;
}

/**
 * Runs `work` on a connection of its own to the archive, closed after it:
 * what a worker started for one piece of work opens (engine/own-worker.ts),
 * and what its page runs instead when no worker starts.
 */
export async function withOwnArchive<T>(name: string, work: (db: ArchiveDb) => Promise<T>): Promise<T> {
  const db = openArchive(name);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}
