// One archived post: a header that opens and closes it, then its summary,
// tags and links. Shared by the side panel and the popup.
import type { PostView } from '../shared/messages';
import { formatDate, t } from '../shared/i18n';
import { useState } from 'preact/hooks';
import { postAsText, wholePost } from './post-text';
import { safeHref } from './safe-href';
import { Summary } from './Summary';
import { fileLinkLabel, RemovedMark } from './RemovedMark';

interface Props {
  post: PostView;
  open: boolean;
  onToggle: () => void;
}

export function PostCard({ post, open, onToggle }: Props) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void wholePost(post).then((whole) => navigator.clipboard.writeText(postAsText(whole))).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    }, () => {});
  };
  const bodyId = `al-post-${post.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const links = [
    { href: safeHref(post.postUrl), label: t('postOpenOnSite') },
    { href: safeHref(post.fileUrl), label: fileLinkLabel(post) },
    { href: safeHref(post.sourceUrl), label: t('postOriginal') },
  ].filter((l) => l.href);
  return (
    <article class={`al-post${open ? ' al-open' : ''}`}>
      <h3 class="al-post-heading">
        <button type="button" class="al-post-toggle" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
          <span class="al-chevron" aria-hidden="true" />
          <span class="al-post-title">{post.title}</span>
          <span class="al-post-meta">
            <time dateTime={post.date}>{formatDate(post.date)}</time>
            {' · '}
            {post.channel}
            {post.removedAt !== undefined && ' · '}
            <RemovedMark at={post.removedAt} />
          </span>
        </button>
      </h3>
      {open && (
        <div class="al-post-body" id={bodyId}>
          {post.author && post.author !== post.channel && <p class="al-muted">{t('postAuthor', post.author)}</p>}
          <Summary text={post.summary} videoId={post.videoId} folded={post.folded} rest={post.summaryLength ? { key: post.key, total: post.summaryLength } : undefined} />
          {post.tags.length > 0 && (
            <ul class="al-tags" aria-label={t('postTags')}>
              {post.tags.map((tag) => (
                <li key={tag} class="al-chip">{tag}</li>
              ))}
            </ul>
          )}
          <p class="al-links">
            {links.map((l) => (
              <a key={l.label} href={l.href} target="_blank" rel="noopener noreferrer">{l.label}</a>
            ))}
            <button type="button" class="al-link-button al-copy" onClick={copy}>{copied ? t('postCopied') : t('postCopy')}</button>
            {post.builtin && <span class="al-badge">{t('postBuiltin')}</span>}
          </p>
        </div>
      )}
    </article>
  );
}
