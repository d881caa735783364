// Searching posts by what a user types: words from the title, channel, tags,
// author or summary, or a video link or id.
import { asVideoId, videoIdFromUrl, type VideoId } from './youtube';

export interface SearchQuery {
  /** Set when the query is a video link or id: look that video up directly. */
  videoId: VideoId | null;
  /** Normalised words; every one must match. */
  terms: string[];
}

/** Case- and width-insensitive form (NFKC folds full-width Latin and digits). */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function parseQuery(input: string): SearchQuery {
  const text = input.trim();
  const videoId = videoIdFromUrl(text) ?? (/^[A-Za-z0-9_-]{11}$/.test(text) ? asVideoId(text) : null);
  const terms = normalise(text).split(/\s+/).filter(Boolean);
  return { videoId, terms };
}

export interface Searchable {
  title: string;
  channel: string;
  author: string;
  tags: string[];
  summary: string;
  videoId: string | null;
}

export function matches(post: Searchable, query: SearchQuery): boolean {
  if (query.videoId && post.videoId === query.videoId) return true;
  if (query.terms.length === 0) return false;
  const haystack = normalise(`${post.title}\n${post.channel}\n${post.author}\n${post.tags.join('\n')}\n${post.summary}`);
  return query.terms.every((term) => haystack.includes(term));
}
