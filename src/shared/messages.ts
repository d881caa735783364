// The one message protocol between the content script, the extension pages
// and the background. Every request names its type; the response type follows
// from it, so both ends are checked by the compiler.
import type { UserMessage } from '../core/user-messages';
import type { VideoId } from '../core/youtube';
import type { LastSync } from '../db/schema';
import type { FailureRecord, Facets } from '../db/records';
import type { MembershipData } from '../core/membership';
import type { Boilerplate } from '../core/boilerplate';
import type { TextChange } from '../core/text-diff';

/** A thumbnail's mark: how many posts archive the video, and its newest post. */
export interface VideoMark {
  videoId: string;
  posts: number;
  title: string;
  date: string;
  /** The newest post on the archive's site, when the source says where that is. */
  postUrl: string | null;
}

/** What the library shows of the whole archive. */
export interface LibraryOverview extends Facets {
  posts: number;
  /** All channels (the list holds the largest). */
  channelCount: number;
  /** Sources whose index is still being built: their posts are not counted yet. */
  pending: number;
}

export interface PostView {
  key: string;
  title: string;
  date: string;
  channel: string;
  author: string;
  tags: string[];
  summary: string;
  /**
   * The whole description's length, when `summary` holds only its start
   * (SENT_SUMMARY_CHARS): the rest is read a page at a time (`postText`), so
   * no message to a page carries megabytes of one post.
   */
  summaryLength?: number;
  videoId: string | null;
  sourceUrl: string;
  /** The post on the archive's website, when the source says where that is. */
  postUrl: string | null;
  /** The post's file in the archive repository (for a removed post, at the last commit that had it). */
  fileUrl: string | null;
  /** When a sync found the post gone from its source; the archive keeps it (db/removed.ts). */
  removedAt?: number;
  sourceName: string;
  builtin: boolean;
  /** The channel's usual opening and closing text in this post's summary, shown folded (db/boilerplate.ts). */
  folded?: { header: string; footer: string };
  /** For search results: where the query matched, as [start, end) ranges. */
  matches?: {
    title: [number, number][];
    excerpt: { text: string; ranges: [number, number][] };
  };
}

/** A search result as the popup lists it: the post without its text (the excerpt around the match is in `matches`). */
export type SearchHit = Omit<PostView, 'summary' | 'folded'>;

/**
 * A text to compare: given whole, or an archived post's title or description
 * named by its key (the background reads it; a page need not send back
 * megabytes it was sent).
 */
export type TextRef = string | { post: string; field: 'title' | 'summary' } | { upload: string };

export interface LookupResult {
  videoId: string;
  /** Posts that archive this video, newest first. */
  archived: PostView[];
  /** Posts that only link or embed it: the newest MENTIONS_SENT of them (the rest are asked for with `mentions`). */
  mentioned: PostView[];
  /** How many posts mention it, when that is more than `mentioned` holds. */
  mentionedTotal?: number;
  /** Followed sources that may hold the video but could not be asked (offline, an error), with nothing cached: by name. */
  unreachable?: string[];
}

/** How the last sync of a source ended (as stored with the source). */
export type LastSyncView = LastSync;

export interface SourceView {
  id: string;
  name: string;
  kind: string;
  builtin: boolean;
  postCount: number;
  failureCount: number;
  importedAt: number;
  lastSync: LastSyncView | null;
  github: { owner: string; repo: string; branch: string; folders: string[] } | null;
  bundleUrl: string | null;
  hasToken: boolean;
  syncing: boolean;
  /** Posts the source removed are removed here too (off: kept, marked). */
  mirrorRemovals: boolean;
  /** Of `postCount`, posts the source removed that the archive keeps. */
  removedCount: number;
  /** A sync found more than a fifth of the source gone: kept until the reader decides (db/removed.ts). */
  removalHeld: { count: number; at: number } | null;
  /** About what the source takes in storage (estimated when its search index was built), or null before one was. */
  storedBytes: number | null;
  /** A followed index (kind `published`): where it is, and what is cached of it. */
  published: PublishedView | null;
}

export interface PublishedView {
  url: string;
  /** The archive's repository (owner/name), when the index names it: a full copy can be synced from there. */
  repository: string | null;
  videos: number;
  checkedAt: number;
  /** Bytes of posts fetched and kept for offline use. */
  cachedBytes: number;
  /** The last check failed (until one succeeds). */
  error: UserMessage | null;
}

export type FailureView = FailureRecord;

export interface ArchiveStats {
  posts: number;
  videos: number;
  channels: number;
  sources: SourceView[];
  /** True while the built-in sample is still being imported. */
  importing: boolean;
  /** The user removed the built-in sample (the options page offers to restore it). */
  builtinRemoved?: boolean;
}

export interface RequestMap {
  lookup: { request: { videoId: VideoId }; response: LookupResult };
  /**
   * A content script's page now shows this URL (the toolbar badge follows it).
   * Told by the page instead of tabs.onUpdated, which would wake the
   * background for every update of every tab.
   */
  navigated: { request: { url: string }; response: null };
  /** Each channel's usual opening and closing text (asked for after a lookup, so the lookup never waits on it). */
  boilerplate: { request: { channels: string[] }; response: Record<string, Boilerplate> };
  /**
   * What changed between texts too long to compare on the page's main thread
   * (ui/use-text-changes.ts): each pair as core/text-diff's textChange says, in the background.
   */
  textChanges: { request: { pairs: [TextRef, TextRef][] }; response: (TextChange | null)[] };
  /**
   * A piece of a long text a page sends ahead of a request that names it
   * (`{ upload }` as a TextRef): a message of megabytes is serialised on the
   * page's main thread in one go (30–50 ms for YouTube's 2 MB description),
   * pieces in short tasks of their own (shared/text-upload.ts).
   */
  textPart: { request: { upload: string; index: number; part: string; last: boolean }; response: { stored: boolean } };
  /** More of the posts that mention a video, newest first, from `offset` (at most MENTIONS_SENT). */
  mentions: { request: { videoId: VideoId; offset: number }; response: { posts: PostView[]; total: number } };
  /** A stretch of a post's description, for a page showing more of a post sent clipped (at most SENT_SUMMARY_CHARS a request). */
  postText: { request: { key: string; from: number; to: number }; response: { text: string; total: number } };
  /** The set of archived ids for marking thumbnails; `set` is null when the asker's `version` is current. */
  membership: { request: { version?: string }; response: { version: string; set: MembershipData | null } };
  /** Post counts and titles of videos the membership set says may be archived (at most 200 a request). */
  marks: { request: { videoIds: string[] }; response: VideoMark[] };
  /** Opens the library on a query (a hashtag chosen in the panel). */
  openLibrary: { request: { query: string }; response: { opened: boolean } };
  /** A content script asks for the page-world script (src/page-world/player-data.ts) on its channel. */
  pageBridge: { request: { channel: string }; response: { installed: boolean } };
  /** `unreachable`: followed indexes that could not be asked (offline, an error), by name. */
  search: { request: { query: string; limit?: number }; response: { posts: SearchHit[]; total: number; approximate?: boolean; tooShort?: boolean; unreachable?: string[] } };
  library: { request: Record<string, never>; response: LibraryOverview };
  browse: { request: { query: string; offset: number; limit?: number }; response: { posts: PostView[]; total: number; offset: number; approximate?: boolean; tooShort?: boolean } };
  stats: { request: Record<string, never>; response: ArchiveStats };
  reimportBuiltin: { request: Record<string, never>; response: ArchiveStats };
  removeSource: { request: { sourceId: string }; response: ArchiveStats };
  addGithubSource: {
    request: { repository: string; branch: string; folders: string; token: string };
    response: { source: SourceView; stats: ArchiveStats };
  };
  addBundleSource: { request: { url: string }; response: { source: SourceView; stats: ArchiveStats } };
  /** Follows a published index (its address, or its site's): only its manifest and filter are fetched. */
  followIndex: { request: { url: string }; response: { source: SourceView; stats: ArchiveStats } };
  syncSource: { request: { sourceId: string }; response: { started: boolean } };
  cancelSync: { request: { sourceId: string }; response: { cancelled: boolean } };
  sourceFailures: { request: { sourceId: string }; response: FailureView[] };
  /** Whether a source's removals are mirrored here (off: kept, marked). */
  setMirrorRemovals: { request: { sourceId: string; mirror: boolean }; response: ArchiveStats };
  /** Removes a source's removed posts for good (the reader confirmed); answers how many went. */
  purgeRemoved: { request: { sourceId: string }; response: { purged: number; stats: ArchiveStats } };
  /** The reader keeps a held removal's posts (marked, as removed posts are). */
  keepHeld: { request: { sourceId: string }; response: ArchiveStats };
  /** An extension page changed the archive itself (file import): forget cached lookups. */
  archiveChanged: { request: Record<string, never>; response: ArchiveStats };
}

export type RequestType = keyof RequestMap;
export type Request<T extends RequestType = RequestType> = { type: T } & RequestMap[T]['request'];
export type Response<T extends RequestType> = RequestMap[T]['response'];

/**
 * What the background answers: a value or an error, never a throw across the
 * boundary. `message` says it as a code and arguments, worded by the page in
 * the user's language; `error` is the English wording.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string; message?: UserMessage };

/** Sent by the background to a tab's content script. */
export type TabMessage = { type: 'togglePanel' } | { type: 'pageStatus' };

/** A content script's answer to `pageStatus`: whether YouTube's page had the spots ArchiveLens knows. */
export interface PageStatus {
  /** `unrecognised`: a watch page without them, so the panel floats over it. */
  layout: 'recognised' | 'unrecognised' | 'no-video';
}

export const REQUEST_TYPES: readonly RequestType[] = [
  'lookup', 'navigated', 'mentions', 'boilerplate', 'textChanges', 'textPart', 'postText', 'membership', 'marks', 'openLibrary', 'pageBridge', 'search', 'library', 'browse', 'stats', 'reimportBuiltin', 'removeSource',
  'addGithubSource', 'addBundleSource', 'followIndex', 'syncSource', 'cancelSync', 'sourceFailures', 'setMirrorRemovals', 'purgeRemoved', 'keepHeld', 'archiveChanged',
];

/** Requests a content script on youtube.com may make; the rest are for extension pages. */
export const CONTENT_REQUESTS: readonly RequestType[] = ['lookup', 'navigated', 'mentions', 'boilerplate', 'textChanges', 'textPart', 'postText', 'membership', 'marks', 'openLibrary', 'pageBridge'];

/** The page-world channel: random per content script, so the page cannot guess it. */
export const PAGE_CHANNEL = /^archivelens-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isRequest(value: unknown): value is Request {
  return (
    typeof value === 'object' && value !== null &&
    REQUEST_TYPES.includes((value as { type: RequestType }).type)
  );
}
