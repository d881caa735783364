// What YouTube tabs need to mark archived videos wherever they appear: the
// membership set of archived ids (built once per archive change, from the
// videos each search index keeps) and, for a batch of ids that may be archived, each
// one's post count and newest archived title in one query.
import { archivedVideoIds, getPosts, postsOfVideos } from './post-store';
import { Membership, type MembershipData } from '../core/membership';
import { newestFirst } from '../core/twins';
import { toView, versionOf, visible, type ExtraPosts } from './queries';
import { sourcesById } from './sources-cache';
import type { ArchiveDb } from './schema';
import type { VideoMark } from '../shared/messages';
import { addIndexedVideos, currentIndexes, hasIndex, loadDocs } from './search-index';
import { LaneSet } from '../core/lane-set';
import { knownPacks } from './indexed-videos';

/** A key that changes whenever what the sources hold may have changed. */
export async function archiveVersion(db: ArchiveDb): Promise<string> {
  return versionOf((await sourcesById(db)).values());
}

/**
 * Every video id the visible posts archive, and how many (the stats line's
 * count of videos).
 */
export async function buildMembership(db: ArchiveDb): Promise<MembershipData & { videos: number }> {
  const ids = (await fromIndexes(db)) ?? (await walkVideoIndex(db));
  return { ...Membership.fromLanes(ids).toData(), videos: ids.size };
}

/**
 * From each source's search index, which keeps its posts' videos, and the
 * posts changed since it was built as they are now; null when a source has
 * no such index yet (one being built, or one made before indexes kept them).
 */
async function fromIndexes(db: ArchiveDb): Promise<LaneSet | null> {
  const sources = await sourcesById(db);
  const current = currentIndexes(sources.values());
  const ids = new LaneSet();
  for (const source of sources.values()) {
    if (!hasIndex(source)) return null;
    const docs = await loadDocs(db, source.id, source.searchIndex, current);
    if (!docs || !addIndexedVideos(docs, source.searchIndex.changed, ids)) return null;
    for (const post of await getPosts(db, [...new Set(source.searchIndex.changed)])) {
      if (post && post.gen === source.searchIndex.gen) for (const id of post.videoIds) ids.add(id);
    }
  }
  return ids;
}

/**
 * Every key of the posts' video index: one step of a cursor per video (fast
 * in Chromium, 21 s in Firefox at 122,000 posts). It may also hold a
 * generation a running sync is writing: a few extra "maybe"s, each settled
 * by markVideos.
 */
async function walkVideoIndex(db: ArchiveDb): Promise<LaneSet> {
  const ids = new LaneSet();
  for (const id of await archivedVideoIds(db)) ids.add(id);
  return ids;
}

/** Marks for the ids that are archived (visible posts, and `extra`'s from followed sources); the rest are left out. */
export async function markVideos(db: ArchiveDb, videoIds: readonly string[], extra: ExtraPosts = { posts: [], sources: new Map() }): Promise<VideoMark[]> {
  if (videoIds.length === 0) return [];
  const stored = await sourcesById(db);
  const posts = await postsOfVideos(db, 'videoIds', videoIds, stored.values(), knownPacks(db, stored));
  const sources = extra.sources.size ? new Map([...stored, ...extra.sources]) : stored;
  const wanted = new Set(videoIds);
  const byVideo = new Map<string, typeof posts>();
  for (const post of [...posts.filter(visible(stored)), ...extra.posts]) {
    for (const id of post.videoIds) {
      if (!wanted.has(id)) continue;
      const list = byVideo.get(id) ?? [];
      list.push(post);
      byVideo.set(id, list);
    }
  }
  return [...byVideo].map(([videoId, list]) => {
    const post = list.sort(newestFirst)[0]!;
    const newest = toView(post, sources.get(post.sourceId));
    return { videoId, posts: list.length, title: newest.title, date: newest.date, postUrl: newest.postUrl };
  });
}
