// A source's removed posts on the options page (db/removed.ts): how many the
// archive keeps, a way to see them, to purge them (the count first), whether
// to mirror removals, and the question a held removal asks.
import { useState } from 'preact/hooks';
import { countOf, t } from '../shared/i18n';
import type { SourceView } from '../shared/messages';

interface Props {
  source: SourceView;
  /** Another action is running, or the source is syncing: nothing here may start. */
  disabled: boolean;
  onMirror: (mirror: boolean) => void;
  /** Resolves with how many posts went. */
  onPurge: () => Promise<number>;
  onKeepHeld: () => void;
}

export function RemovedPosts({ source, disabled, onMirror, onPurge, onKeepHeld }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [purged, setPurged] = useState<number | null>(null);
  const syncable = source.kind === 'github' || source.kind === 'bundle';
  const count = source.removedCount;
  const purge = () => {
    setConfirming(false);
    void onPurge().then(setPurged, () => {});
  };
  const confirm = confirming && count > 0 && (
    <div class="removed-confirm" role="alertdialog" aria-labelledby={`purge-${source.id}`}>
      <p id={`purge-${source.id}`}>{t('optionsRemovedConfirm', countOf('Posts', count))}</p>
      <button type="button" class="danger" disabled={disabled} onClick={purge}>{t('optionsRemovedConfirmYes', countOf('Posts', count))}</button>{' '}
      <button type="button" onClick={() => setConfirming(false)} ref={(b) => b?.focus()}>{t('importCancel')}</button>
    </div>
  );
  return (
    <div class="source-removed">
      {source.removalHeld && (
        <div class="removal-held" role="alert">
          <p>{t('optionsRemovalHeld', countOf('Posts', source.removalHeld.count))}</p>
          {!confirming && (
            <>
              <button type="button" disabled={disabled} onClick={() => setConfirming(true)}>{t('optionsRemovedPurge')}</button>{' '}
              <button type="button" disabled={disabled} onClick={onKeepHeld}>{t('optionsRemovalHeldKeep')}</button>
            </>
          )}
        </div>
      )}
      {count > 0 && !source.removalHeld && (
        <p class="al-muted removed-kept">
          {t('optionsRemovedKept', countOf('Posts', count))}
          {' · '}
          <a href={`../library/index.html?q=${encodeURIComponent('is:removed')}`}>{t('optionsRemovedShow')}</a>
          {!confirming && (
            <>
              {' · '}
              <button type="button" class="al-link-button" disabled={disabled} onClick={() => setConfirming(true)}>{t('optionsRemovedPurge')}</button>
            </>
          )}
        </p>
      )}
      {confirm}
      {purged !== null && count === 0 && <p class="al-muted" role="status">{t('optionsRemovedPurged', countOf('Posts', purged))}</p>}
      {syncable && (
        <label class="removed-mirror">
          <input type="checkbox" checked={source.mirrorRemovals} disabled={disabled} onChange={(e) => onMirror((e.currentTarget as HTMLInputElement).checked)} />{' '}
          {t('optionsMirrorRemovals')}
          <span class="al-muted removed-mirror-hint">{t('optionsMirrorRemovalsHint')}</span>
        </label>
      )}
    </div>
  );
}
