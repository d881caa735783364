// The small things ArchiveLens adds to YouTube's thumbnails and playlist
// entries: each a custom element with a shadow root, its text set as text.
import { formatDate, t, tCount } from '../../shared/i18n';
import type { VideoMark } from '../../shared/messages';
import { safeHref } from '../../ui/safe-href';
import { pageNames } from '../page-names';


const MARK_CSS = `
:host { all: initial; position: absolute; top: 6px; left: 6px; z-index: 2; pointer-events: auto; }
span { display: inline-flex; align-items: center; gap: 4px; padding: 1px 6px 1px 4px; border-radius: 4px;
  background: rgba(0, 0, 0, 0.72); color: #fff; font: 500 12px/18px Roboto, "Noto Sans CJK TC", sans-serif; }
i { width: 10px; height: 10px; border-radius: 2px; background: linear-gradient(135deg, #3b6db3, #7aa7e8); }
`;

const TITLE_CSS = `
:host { all: initial; display: block; font: 500 1.4rem/2rem Roboto, "Noto Sans CJK TC", sans-serif; }
a { color: var(--yt-spec-text-primary, #0f0f0f); text-decoration: none; }
a:hover { text-decoration: underline; }
small { display: block; color: var(--yt-spec-text-secondary, #606060); font-weight: 400; font-size: 1.2rem; }
`;

function shadowed(tag: string, css: string): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(tag);
  // Closed: the page cannot read what the archive says of its videos (content/shadow-host.ts).
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
  return { host, root };
}

/** The marker on an archived video's thumbnail: how many posts; the archived title in its tooltip. */
export function markElement(mark: VideoMark): HTMLElement {
  const { host, root } = shadowed(pageNames.mark, MARK_CSS);
  const pill = document.createElement('span');
  pill.append(document.createElement('i'), String(mark.posts));
  root.append(pill);
  host.title = t('markTooltip', mark.title, formatDate(mark.date));
  host.setAttribute('role', 'img');
  host.setAttribute('aria-label', tCount('markLabel', mark.posts));
  host.dataset.videoId = mark.videoId;
  return host;
}

/** The archived title and date of a deleted or private playlist entry, opening the archived post. */
export function titleElement(mark: VideoMark): HTMLElement {
  const { host, root } = shadowed(pageNames.title, TITLE_CSS);
  const link = document.createElement('a');
  // The post on the archive's site; else the video's page, where ArchiveLens shows the archived post.
  link.href = safeHref(mark.postUrl) ?? `https://www.youtube.com/watch?v=${encodeURIComponent(mark.videoId)}`;
  if (mark.postUrl) {
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
  }
  link.textContent = mark.title;
  const meta = document.createElement('small');
  meta.textContent = `${t('markDeletedEntry')} · ${formatDate(mark.date)}`;
  link.append(meta);
  root.append(link);
  host.dataset.videoId = mark.videoId;
  return host;
}
