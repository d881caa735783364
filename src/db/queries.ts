// Read-side queries over the archive, shaped for the UI.
import { archivedVideoIds, postsOfVideos } from './post-store';
import { folderCategories, postFileUrl, postUrl, siteBuilds, validRepo, validSiteConfig, type ArchiveRepo, type SiteConfig } from '../core/site';
import { clip, SENT_SUMMARY_CHARS } from '../core/clip';
import { newestFirst } from '../core/twins';
import type { ArchiveStats, LookupResult, PostView, SourceView } from '../shared/messages';
import { libraryOverview } from './library';
import type { ArchiveDb, PostRecord, SourceRecord } from './schema';
import { sourcesById } from './sources-cache';
import { knownPacks } from './indexed-videos';

/** A link from archive data, or null: one odd record must never break a whole lookup. */
function link(build: () => string): string | null {
  try {
    return build();
  } catch {
    return null;
  }
}

/**
 * The post's page on the archive's website, from the first of its paths that
 * Jekyll builds (its `_posts/` twin when the preferred `archived/` copy is in
 * an excluded folder), or null when the site has no page for it.
 */
export function siteLink(site: SiteConfig, post: Pick<PostRecord, 'paths' | 'path' | 'date' | 'categories' | 'permalink' | 'slug' | 'unpublished'>, now = Date.now()): string | null {
  if (post.unpublished) return null;
  // Jekyll leaves out posts dated after the build unless `future: true`; built today at best.
  if (!site.future && Date.parse(post.date) > now) return null;
  const path = post.paths.find((p) => siteBuilds(site, p)) ?? (siteBuilds(site, post.path) ? post.path : undefined);
  return path === undefined ? null : link(() => postUrl(site, { ...post, path }, [...folderCategories(path), ...(post.categories ?? [])]));
}

/** How many of the posts that mention a video a lookup sends (the rest a page at a time). */
export const MENTIONS_SENT = 20;

/** Longest title, author or tag a page is sent, and most tags. */
const MAX_FIELD_CHARS = 1_000;
const MAX_TAGS = 100;

/**
 * Each source's site and repository as checked, once per source record
 * (those sourcesById shares are frozen: a change is a new record). Checking
 * them for every post shown, a time zone resolved each time, was about a
 * millisecond of each search.
 */
const checked = new WeakMap<SourceRecord, { site: SiteConfig | null; repo: ArchiveRepo | null }>();

function checkedOf(source: SourceRecord | undefined): { site: SiteConfig | null; repo: ArchiveRepo | null } {
  if (!source || !Object.isFrozen(source)) return { site: validSiteConfig(source?.site), repo: validRepo(source?.repo) };
  let done = checked.get(source);
  if (!done) checked.set(source, (done = { site: validSiteConfig(source.site), repo: validRepo(source.repo) }));
  return done;
}

export function toView(post: PostRecord, source: SourceRecord | undefined): PostView {
  const { site, repo } = checkedOf(source);
  // What a page is sent is bounded: hostile posts have titles, authors, tag lists and
  // descriptions of megabytes (the rest of a description is read when the reader asks).
  return {
    key: post.key,
    title: clip(post.title.trim(), MAX_FIELD_CHARS),
    date: post.date,
    channel: post.channel,
    author: clip(post.author, MAX_FIELD_CHARS),
    tags: post.tags.length > MAX_TAGS || post.tags.some((tag) => tag.length > MAX_FIELD_CHARS) ? post.tags.slice(0, MAX_TAGS).map((tag) => clip(tag, MAX_FIELD_CHARS)) : post.tags,
    summary: clip(post.summary, SENT_SUMMARY_CHARS),
    ...(post.summary.length > SENT_SUMMARY_CHARS ? { summaryLength: post.summary.length } : {}),
    videoId: post.videoId,
    sourceUrl: post.sourceUrl,
    // A post its source removed is on neither the site nor the branch any more: its file is at the last commit that had it.
    postUrl: site?.url && post.removedAt === undefined ? siteLink(site, post) : null,
    fileUrl: !repo ? null : post.removedAt === undefined ? link(() => postFileUrl(repo, post.path)) : post.removedIn ? link(() => postFileUrl({ ...repo, branch: post.removedIn! }, post.path)) : null,
    ...(post.removedAt !== undefined ? { removedAt: post.removedAt } : {}),
    sourceName: source?.name ?? post.sourceId,
    builtin: source?.kind === 'builtin',
  };
}

/** A key of what the sources hold: it changes with every sync, import, index build or removal. */
export function versionOf(sources: Iterable<SourceRecord>): string {
  return [...sources].map((s) => `${s.id}:${s.gen ?? 0}:${s.postCount}:${s.importedAt}:${s.searchIndex?.build ?? ''}:${s.searchIndex?.changed.length ?? 0}`).sort().join('|');
}

/** Only a source's current generation is visible (see db/generations.ts). */
export function visible(sources: ReadonlyMap<string, SourceRecord>) {
  return (post: PostRecord) => {
    const source = sources.get(post.sourceId);
    return source !== undefined && post.gen === (source.gen ?? 0);
  };
}

/** Posts from elsewhere than the database (followed sources: background/followed.ts), with the sources they name. */
export interface ExtraPosts {
  posts: readonly PostRecord[];
  sources: ReadonlyMap<string, SourceRecord>;
}

const NO_EXTRA: ExtraPosts = { posts: [], sources: new Map() };

export async function lookupVideo(db: ArchiveDb, videoId: string, followed: ExtraPosts | Promise<ExtraPosts> = NO_EXTRA): Promise<LookupResult> {
  // Kept in memory between writes (sources-cache.ts): read at once, mostly.
  const stored = await sourcesById(db);
  const [[archived, mentioned], extra] = await Promise.all([
    // One transaction for both reads: in Firefox each transaction is a round trip of its own to the parent process.
    db.transaction('r', db.posts, () => Promise.all([
      // The packs of the video's posts, where an index in memory says (after a search or a sync), read beside the index's.
      postsOfVideos(db, 'videoIds', [videoId], stored.values(), knownPacks(db, stored)),
      postsOfVideos(db, 'mentionIds', [videoId]),
    ])),
    followed,
  ]);
  const sources = extra.sources.size ? new Map([...stored, ...extra.sources]) : stored;
  const view = (posts: PostRecord[]) => posts.map((p) => toView(p, sources.get(p.sourceId)));
  const sorted = (posts: PostRecord[]) => posts.filter(visible(stored)).sort(newestFirst);
  const mentions = sorted(mentioned);
  return {
    videoId,
    archived: view([...archived.filter(visible(stored)), ...extra.posts.filter((p) => p.videoIds.includes(videoId))].sort(newestFirst)),
    mentioned: view(mentions.slice(0, MENTIONS_SENT)),
    ...(mentions.length > MENTIONS_SENT ? { mentionedTotal: mentions.length } : {}),
  };
}

/**
 * The posts that mention a video, newest first, from `offset`: a video of
 * society is mentioned by 213 posts (≈ 1,700 at 8×), more than a page should
 * be sent or lay out at once.
 */
export async function mentionPage(db: ArchiveDb, videoId: string, offset: number): Promise<{ posts: PostView[]; total: number }> {
  const [mentioned, sources] = await Promise.all([postsOfVideos(db, 'mentionIds', [videoId]), sourcesById(db)]);
  const mentions = mentioned.filter(visible(sources)).sort(newestFirst);
  const start = Math.max(0, Math.floor(offset) || 0);
  return { posts: mentions.slice(start, start + MENTIONS_SENT).map((p) => toView(p, sources.get(p.sourceId))), total: mentions.length };
}

export function toSourceView(source: SourceRecord, extra: { hasToken?: boolean; syncing?: boolean } = {}): SourceView {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    builtin: source.kind === 'builtin',
    postCount: source.postCount,
    failureCount: source.failureCount,
    importedAt: source.importedAt,
    lastSync: source.lastSync ?? null,
    github: source.github ?? null,
    bundleUrl: source.bundleUrl ?? null,
    hasToken: extra.hasToken ?? false,
    syncing: extra.syncing ?? false,
    mirrorRemovals: source.mirrorRemovals === true,
    removedCount: source.removedCount ?? 0,
    removalHeld: source.removalHeld ?? null,
    storedBytes: source.searchIndex?.storedBytes ?? null,
    published: null,
  };
}

export interface ArchiveCounts {
  videos: number;
  channels: number;
}

/**
 * Distinct videos and channels: this walks two whole indexes, so callers
 * keep the answer until the archive changes (see CountsCache) instead of
 * asking on every popup or options page.
 */
export async function countVideosAndChannels(
  db: ArchiveDb,
  countVideos: () => Promise<number> = async () => (await archivedVideoIds(db)).length,
): Promise<ArchiveCounts> {
  // Channels as the search index counted them at import (a source not indexed yet is not counted).
  const [videos, overview] = await Promise.all([countVideos(), libraryOverview(db)]);
  return { videos, channels: overview.channelCount };
}

/** Where the counts outlive the worker: the archive's version they were counted at, with them. */
export interface CountsStore {
  get(): Promise<{ version: string; counts: ArchiveCounts } | undefined>;
  set(saved: { version: string; counts: ArchiveCounts }): Promise<void>;
}

/**
 * The counts, computed once per change of the archive, and kept in `store`
 * so that a worker that starts again (Chrome stops an idle one after 30 s)
 * answers the popup's stats from the sources alone: counting again read
 * each index's list of posts and the membership set, which at 490,000 posts
 * made the first stats after a start take a second in Chromium.
 */
export class CountsCache {
  private pending: Promise<ArchiveCounts> | null = null;
  /** `countVideos`: where the count of videos comes from when something else walks that index anyway (the membership set). */
  constructor(private readonly db: ArchiveDb, private readonly countVideos?: () => Promise<number>, private readonly store?: CountsStore) {}

  get(): Promise<ArchiveCounts> {
    this.pending ??= this.count().catch((error: unknown) => {
      this.pending = null;
      throw error;
    });
    return this.pending;
  }

  private async count(): Promise<ArchiveCounts> {
    if (!this.store) return countVideosAndChannels(this.db, this.countVideos);
    // The version before counting: a change meanwhile leaves the counts under a version that is gone.
    const version = versionOf((await sourcesById(this.db)).values());
    const saved = await this.store.get().catch(() => undefined);
    if (saved?.version === version && typeof saved.counts?.videos === 'number' && typeof saved.counts.channels === 'number') return saved.counts;
    const counts = await countVideosAndChannels(this.db, this.countVideos);
    await this.store.set({ version, counts }).catch(() => {});
    return counts;
  }

  /** The archive changed: the next call counts again. */
  clear(): void {
    this.pending = null;
  }
}

export async function archiveStats(
  db: ArchiveDb,
  importing = false,
  describe: (source: SourceRecord) => Promise<SourceView> | SourceView = (s) => toSourceView(s),
  counts: () => Promise<ArchiveCounts> = () => countVideosAndChannels(db),
): Promise<ArchiveStats> {
  const [{ videos, channels }, byId] = await Promise.all([counts(), sourcesById(db)]);
  const sources = [...byId.values()];
  // Posts are counted per source (a running sync's generation is not shown).
  return {
    posts: sources.reduce((n, s) => n + s.postCount, 0),
    videos,
    channels,
    sources: await Promise.all(sources.map(describe)),
    importing,
  };
}
