// A gone video's archived post, where the player would be: large and whole
// (title, date, channel, the full description, tags, links), and the video's
// versions when the archive holds several. Text only, like every view.
import { useState } from 'preact/hooks';
import type { LookupResult, PostView } from '../../shared/messages';
import { formatDate, t, tCount } from '../../shared/i18n';
import { safeHref } from '../../ui/safe-href';
import { Summary } from '../../ui/Summary';
import { VersionHistory } from '../../ui/Changes';
import { fileLinkLabel, RemovedMark } from '../../ui/RemovedMark';

export type GoneState =
  | { status: 'loading'; videoId: string }
  | { status: 'ready'; videoId: string; result: LookupResult }
  | { status: 'error'; videoId: string; message: string };

/** The Wayback Machine's captures of the watch page: a link costs nothing, a lookup would be a request per video. */
export function webArchiveUrl(videoId: string): string {
  return `https://web.archive.org/web/*/https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`;
}

export function GoneView({ state }: { state: GoneState }) {
  const [chosen, setChosen] = useState(0);
  const archived = state.status === 'ready' ? state.result.archived : [];
  const post = archived[Math.min(chosen, archived.length - 1)];
  const quiet = state.status !== 'ready' || !post;
  return (
    <section class={`al-gone${quiet ? ' al-quiet' : ''}`} aria-label={t('goneLabel')} data-state={state.status} data-video-id={state.videoId}>
      <p class="al-gone-lead" role="status">
        <span class="al-logo" aria-hidden="true" />
        {lead(state, Boolean(post))}
      </p>
      {post && <GonePost post={post} videoId={state.videoId} />}
      {archived.length > 1 && (
        <section class="al-versions" aria-label={t('goneVersions')}>
          <h3 class="al-subheading">{t('goneVersions')}</h3>
          <ol>
            {archived.map((p, i) => (
              <li key={p.key}>
                <button type="button" class="al-version" aria-pressed={p === post} onClick={() => setChosen(i)}>
                  <time dateTime={p.date}>{formatDate(p.date)}</time>
                  <span class="al-version-title">{p.title}</span>
                </button>
              </li>
            ))}
          </ol>
          <details class="al-history-details">
            <summary class="al-muted">{t('changesHistory')}</summary>
            <VersionHistory posts={archived} />
          </details>
        </section>
      )}
      {state.status === 'ready' && !post && state.result.mentioned.length > 0 && (
        <p class="al-muted">{tCount('goneMentionedOnly', state.result.mentionedTotal ?? state.result.mentioned.length)}</p>
      )}
      {state.status !== 'loading' && (
        <p class="al-links">
          <a href={webArchiveUrl(state.videoId)} target="_blank" rel="noopener noreferrer">{t('goneWebArchive')}</a>
        </p>
      )}
    </section>
  );
}

function lead(state: GoneState, archived: boolean): string {
  if (state.status === 'loading') return t('panelLoading');
  if (state.status === 'error') return t('panelError', state.message);
  return archived ? t('goneLead') : t('goneNotArchived');
}

function GonePost({ post, videoId }: { post: PostView; videoId: string }) {
  const links = [
    { href: safeHref(post.postUrl), label: t('postOpenOnSite') },
    { href: safeHref(post.fileUrl), label: fileLinkLabel(post) },
  ].filter((l) => l.href);
  return (
    <article class="al-gone-post" data-post-key={post.key} data-for={videoId}>
      <h2 class="al-gone-title">{post.title}</h2>
      <p class="al-gone-meta">
        <time dateTime={post.date}>{formatDate(post.date)}</time>
        {' · '}
        {post.channel}
        {post.author && post.author !== post.channel ? ` · ${t('postAuthor', post.author)}` : ''}
        {post.removedAt !== undefined && ' · '}
        <RemovedMark at={post.removedAt} />
      </p>
      <Summary text={post.summary} videoId={post.videoId} folded={post.folded} whole rest={post.summaryLength ? { key: post.key, total: post.summaryLength } : undefined} class="al-gone-text" />
      {post.tags.length > 0 && (
        <ul class="al-tags" aria-label={t('postTags')}>
          {post.tags.map((tag) => <li key={tag} class="al-chip">{tag}</li>)}
        </ul>
      )}
      <p class="al-links">
        {links.map((l) => <a key={l.label} href={l.href} target="_blank" rel="noopener noreferrer">{l.label}</a>)}
        <span class="al-muted">{post.sourceName}</span>
      </p>
    </article>
  );
}
