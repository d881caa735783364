// The side panel beside the player: the video's archived posts (newest open),
// then posts that only mention it. Quiet when the video is not archived.
import type { LookupResult } from '../../shared/messages';
import { archivedCount, t, tCount } from '../../shared/i18n';
import { PostList } from '../../ui/PostList';
import { MentionList } from '../../ui/MentionList';
import { Changes, VersionHistory } from '../../ui/Changes';

/** What the watch page shows now (null: not shown, so not compared). */
export interface CurrentText {
  title: string | null;
  description: string | null;
  /** Where it was read: YouTube's player data, or the page's DOM (the fallback). */
  source?: 'data' | 'dom';
}

export type PanelState =
  | { status: 'loading'; videoId: string }
  | { status: 'ready'; videoId: string; result: LookupResult; current?: CurrentText }
  | { status: 'error'; videoId: string; message: string };

interface Props {
  state: PanelState;
  collapsed: boolean;
  onCollapsedChange: (collapsed: boolean) => void;
}

function headline(state: PanelState): string {
  if (state.status === 'loading') return t('panelLoading');
  if (state.status === 'error') return t('panelError', state.message);
  const { archived, mentioned } = state.result;
  if (archived.length) return archivedCount(archived.length);
  if (mentioned.length) return tCount('panelMentionedOnly', state.result.mentionedTotal ?? mentioned.length);
  return t('panelNotArchived');
}

export function Panel({ state, collapsed, onCollapsedChange }: Props) {
  const result = state.status === 'ready' ? state.result : null;
  const empty = !result || (result.archived.length === 0 && result.mentioned.length === 0);
  const expanded = !collapsed && !empty;
  return (
    <section
      class={`al-panel${empty ? ' al-quiet' : ''}`}
      aria-label={t('panelLabel')}
      data-state={state.status}
      data-video-id={state.videoId}
    >
      {/* The whole header is one button (mark, label, chevron): a click anywhere on it, or Enter or Space, opens and closes the panel. */}
      {empty ? (
        <header class="al-header">
          <span class="al-logo" aria-hidden="true" />
          <span class="al-headline" role="status">{headline(state)}</span>
        </header>
      ) : (
        <button
          type="button"
          class="al-header al-toggle"
          aria-expanded={expanded}
          title={expanded ? t('panelCollapse') : t('panelExpand')}
          onClick={() => onCollapsedChange(!collapsed)}
        >
          <span class="al-logo" aria-hidden="true" />
          <span class="al-headline" role="status">{headline(state)}</span>
          <span class="al-collapse" aria-hidden="true"><span class="al-chevron" /></span>
        </button>
      )}
      {result?.unreachable?.length ? <p class="al-muted al-unreachable" role="note">{t('panelUnreachable', result.unreachable.join(', '))}</p> : null}
      {expanded && result && (
        <div class="al-content">
          {state.status === 'ready' && state.current && result.archived[0] && <Changes archived={result.archived[0]} current={state.current} />}
          {result.archived.length > 1 && (
            <details class="al-history-details">
              <summary class="al-muted al-history">{t('panelHistory', result.archived.length)}</summary>
              <VersionHistory posts={result.archived} />
            </details>
          )}
          {/* key: a new video gets a fresh list with its newest post open. */}
          <PostList key={`a-${result.videoId}`} posts={result.archived} />
          {result.mentioned.length > 0 && (
            <section class="al-mentioned" aria-label={t('panelMentioned')}>
              <h2 class="al-subheading">{t('panelMentioned')}</h2>
              <MentionList key={`m-${result.videoId}`} result={result} firstOpen={result.archived.length === 0} />
            </section>
          )}
        </div>
      )}
    </section>
  );
}
