// Search results in the popup: the title with what matched marked, date and
// channel, a short excerpt of the text around the match. Each result opens
// the video on YouTube in a new tab; the archived post is one more link.
import { formatDate, t } from '../shared/i18n';
import type { SearchHit } from '../shared/messages';
import { safeHref } from '../ui/safe-href';
import { Highlighted } from '../ui/Highlighted';
import { RemovedMark } from '../ui/RemovedMark';

export function SearchResults({ posts }: { posts: SearchHit[] }) {
  return (
    <ol class="search-results">
      {posts.map((post) => {
        const video = safeHref(post.sourceUrl);
        const archived = safeHref(post.postUrl) ?? safeHref(post.fileUrl);
        const title = <Highlighted text={post.title} ranges={post.matches?.title ?? []} />;
        return (
          <li key={post.key} class="search-result">
            {video ? (
              <a class="search-result-title" href={video} target="_blank" rel="noopener noreferrer">{title}</a>
            ) : (
              <span class="search-result-title">{title}</span>
            )}
            <div class="al-muted search-result-meta">
              <time dateTime={post.date}>{formatDate(post.date)}</time>
              {' · '}
              {post.channel}
              {post.removedAt !== undefined && ' · '}
              <RemovedMark at={post.removedAt} />
              {archived && (
                <>
                  {' · '}
                  <a href={archived} target="_blank" rel="noopener noreferrer">{t('searchArchivedPost')}</a>
                </>
              )}
            </div>
            {post.matches?.excerpt.text && (
              <p class="search-result-excerpt">
                <Highlighted text={post.matches.excerpt.text} ranges={post.matches.excerpt.ranges} />
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
