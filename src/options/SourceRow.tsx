// One stored source: counts, last sync, Sync now / Cancel with live progress,
// unreadable files, and removal.
import { isUserMessage } from '../core/user-messages';
import { countOf, formatBytes, formatDate, formatNumber, postCount, say, t, tCount } from '../shared/i18n';
import type { LastSyncView, SourceView } from '../shared/messages';
import type { SyncProgress } from '../sync/progress';
import { Failures } from './Failures';
import { RemovedPosts } from './RemovedPosts';
import { SyncProgressBar } from './SyncProgressBar';

const ACTIVE = new Set(['checking', 'listing', 'downloading', 'reading', 'saving']);

interface Props {
  source: SourceView;
  /** What it takes of the browser's storage (options/storage-shares.ts); its own figure when not given. */
  stored?: number;
  progress: SyncProgress | undefined;
  busy: boolean;
  onSync: () => void;
  onCancel: () => void;
  onRemove: () => void;
  onMirror: (mirror: boolean) => void;
  onPurge: () => Promise<number>;
  onKeepHeld: () => void;
  /** A followed index: sync its whole archive from GitHub instead. */
  onKeepCopy?: () => void;
}

/** The last sync's result in the user's language. */
export function lastSyncMessage(last: LastSyncView): string {
  if (last.result === 'updated') {
    const done = t('syncDone', formatNumber(last.added), formatNumber(last.changed), formatNumber(last.removed), formatNumber(last.moved));
    return last.kept ? `${done} ${t('syncKept', countOf('Posts', last.kept))}` : done;
  }
  if (last.result === 'up-to-date') return t('syncUpToDate');
  if (last.result === 'cancelled') return t('syncCancelled');
  // Results stored by versions before errors travelled as codes keep their English text.
  const why = isUserMessage(last.error) ? say(last.error) : last.message;
  return last.retry ? `${why} ${retryMessage(last.retry)}` : why;
}

/** What happens next after a failure that may pass: another try by itself, or none. */
function retryMessage(retry: NonNullable<LastSyncView['retry']>): string {
  if ('gaveUpAfter' in retry) return t('syncGaveUp', formatNumber(retry.gaveUpAfter));
  return t('syncRetryAt', formatDate(new Date(retry.at).toISOString(), true), formatNumber(retry.try), formatNumber(retry.of));
}

export function SourceRow({ source, stored, progress, busy, onSync, onCancel, onRemove, onMirror, onPurge, onKeepHeld, onKeepCopy }: Props) {
  const published = source.published;
  const syncing = source.syncing || (progress !== undefined && ACTIVE.has(progress.phase));
  const syncable = source.kind === 'github' || source.kind === 'bundle';
  const last = source.lastSync;
  return (
    <li class="options-source" data-source-id={source.id}>
      <div class="source-main">
        <div>
          <strong>{source.name}</strong>
          {source.builtin && <span class="al-badge">{t('sourceBuiltin')}</span>}
          {source.hasToken && <span class="al-badge">{t('optionsTokenSaved')}</span>}
        </div>
        {published && (
          <div class="al-muted">
            {postCount(source.postCount)} · {t('optionsFollowed', countOf('Videos', published.videos), formatBytes(published.cachedBytes), formatDate(new Date(published.checkedAt).toISOString(), true))}
          </div>
        )}
        {published?.error && <div class="last-sync last-sync-failed" role="alert">{t('optionsFollowFailed', say(published.error))}</div>}
        {!published && <div class="al-muted">
          {postCount(source.postCount)}
          {source.storedBytes !== null && ` · ${t('optionsStored', formatBytes(stored ?? source.storedBytes))}`}
          {source.importedAt > 0 && ` · ${t('optionsImportedAt', formatDate(new Date(source.importedAt).toISOString(), true))}`}
          {source.failureCount > 0 && ` · ${tCount('optionsFailures', source.failureCount)}`}
        </div>}
        {syncable && (
          <div class={`last-sync last-sync-${last?.result ?? 'never'}`} role={last?.result === 'failed' ? 'alert' : undefined}>
            {last ? t('optionsLastSync', formatDate(new Date(last.at).toISOString(), true), lastSyncMessage(last)) : t('optionsNeverSynced')}
          </div>
        )}
        {syncing && progress && <SyncProgressBar progress={progress} name={source.name} />}
        <Failures key={`${source.id}-${source.failureCount}-${last?.at ?? 0}`} source={source} />
        <RemovedPosts source={source} disabled={busy || syncing} onMirror={onMirror} onPurge={onPurge} onKeepHeld={onKeepHeld} />
      </div>
      <div class="source-actions">
        {syncable && !syncing && <button type="button" disabled={busy} onClick={onSync}>{t('optionsSyncNow')}</button>}
        {syncable && syncing && <button type="button" onClick={onCancel}>{t('optionsCancelSync')}</button>}
        {published && <button type="button" disabled={busy} onClick={onSync}>{t('optionsCheckNow')}</button>}
        {published?.repository && onKeepCopy && (
          <button type="button" disabled={busy} title={t('optionsKeepFullCopyExplain', published.repository)} onClick={onKeepCopy}>{t('optionsKeepFullCopy')}</button>
        )}
        <button type="button" disabled={busy} onClick={onRemove}>{t('optionsRemove', source.name)}</button>
      </div>
    </li>
  );
}
