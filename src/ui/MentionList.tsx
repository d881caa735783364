// The posts that mention a video: the newest few come with the lookup, and
// the reader asks for more a page at a time (a video can be mentioned by
// hundreds of posts; the page never lays them all out at once).
import { useState } from 'preact/hooks';
import type { VideoId } from '../core/youtube';
import { ask } from '../shared/client';
import { describeError, tCount } from '../shared/i18n';
import type { LookupResult, PostView } from '../shared/messages';
import { PostList } from './PostList';

export function MentionList({ result, firstOpen }: { result: LookupResult; firstOpen: boolean }) {
  const [more, setMore] = useState<{ for: LookupResult['mentioned']; posts: PostView[] } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = more?.for === result.mentioned ? [...result.mentioned, ...more.posts] : result.mentioned;
  const total = Math.max(result.mentionedTotal ?? 0, shown.length);
  const showMore = () => {
    setBusy(true);
    ask('mentions', { videoId: result.videoId as VideoId, offset: shown.length }).then((page) => {
      // Never twice the same post, should the archive have changed meanwhile.
      const seen = new Set(shown.map((p) => p.key));
      setMore({ for: result.mentioned, posts: [...shown.slice(result.mentioned.length), ...page.posts.filter((p) => !seen.has(p.key))] });
      setFailed(null);
    }, (error: unknown) => setFailed(describeError(error))).finally(() => setBusy(false));
  };
  return (
    <>
      <PostList posts={shown} firstOpen={firstOpen} />
      {shown.length < total && (
        <button type="button" class="al-link-button al-more-mentions" disabled={busy} onClick={showMore}>
          {tCount('panelMoreMentions', total - shown.length)}
        </button>
      )}
      {failed && <p class="al-muted" role="alert">{failed}</p>}
    </>
  );
}
