// What YouTube tabs need to mark archived videos wherever they appear: the
// membership set of archived ids (built once per archive change, from the
// videoIds index alone) and, for a batch of ids that may be archived, each
// one's post count and newest archived title in one query.
import { Membership, type MembershipData } from '../core/membership';
import { newestFirst } from '../core/twins';
import { toView, versionOf, visible } from './queries';
import { sourcesById } from './sources-cache';
import type { ArchiveDb } from './schema';

export interface VideoMark {
  videoId: string;
  posts: number;
  title: string;
  date: string;
  /** The newest post on the archive's site, when the source says where that is. */
  postUrl: string | null;
}

/** A key that changes whenever what the sources hold may have changed. */
export async function archiveVersion(db: ArchiveDb): Promise<string> {
  return versionOf((await sourcesById(db)).values());
}

/**
 * Every video id any post archives. The index may also hold a generation a
 * running sync is writing: a few extra "maybe"s, each settled by markVideos.
 */
export async function buildMembership(db: ArchiveDb): Promise<MembershipData & { videos: number }> {
  const ids = (await db.posts.orderBy('videoIds').uniqueKeys()) as string[];
  // How many: the stats line's count of videos, from the same walk of the index.
  return { ...Membership.build(ids, ids.length).toData(), videos: ids.length };
}

/** Marks for the ids that are archived (visible posts only); the rest are left out. */
export async function markVideos(db: ArchiveDb, videoIds: readonly string[]): Promise<VideoMark[]> {
  if (videoIds.length === 0) return [];
  const [posts, sources] = await Promise.all([db.posts.where('videoIds').anyOf([...videoIds]).toArray(), sourcesById(db)]);
  const wanted = new Set(videoIds);
  const byVideo = new Map<string, typeof posts>();
  for (const post of posts.filter(visible(sources))) {
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
