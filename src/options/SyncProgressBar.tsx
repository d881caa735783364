// A progress bar with words: what the sync is doing, how far along, and how long is left.
import browser from 'webextension-polyfill';
import { isUserMessage } from '../core/user-messages';
import { formatNumber, say, t } from '../shared/i18n';
import type { SyncProgress } from '../sync/progress';

export function formatDuration(ms: number): string {
  const lang = browser.i18n.getUILanguage();
  const seconds = Math.max(1, Math.round(ms / 1000));
  const [value, unit] = seconds < 90 ? [seconds, 'second'] : [Math.round(seconds / 60), 'minute'];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export function describeProgress(p: SyncProgress): string {
  const words =
    p.phase === 'checking' ? t('syncChecking')
    : p.phase === 'listing' ? t('syncListing')
    : p.phase === 'downloading' && p.done === 0 ? t('syncDownloading')
    : (p.phase === 'downloading' || p.phase === 'reading') && p.total > 0 ? t('syncReading', formatNumber(p.done), formatNumber(p.total))
    : p.phase === 'downloading' || p.phase === 'reading' ? t('syncReadingCount', formatNumber(p.done))
    : p.phase === 'saving' ? t('syncSaving')
    : p.phase === 'done' ? t('syncFinished')
    : p.phase === 'up-to-date' ? t('syncUpToDate')
    : p.phase === 'cancelled' ? t('syncCancelled')
    : isUserMessage(p.error) ? say(p.error)
    : p.message;
  const eta = p.etaMs && p.phase === 'reading' ? ` · ${t('syncEta', formatDuration(p.etaMs))}` : '';
  return words + eta;
}

/**
 * What a screen reader is told as the sync goes: the phase, not the count.
 * The words under the bar change four times a second while posts are read;
 * a live region of them was read out without pause. The count stays in the
 * bar's value text, read when the reader asks for it.
 */
export function announceProgress(p: SyncProgress): string {
  if (p.phase === 'downloading' && p.done === 0) return t('syncDownloading');
  if (p.phase === 'downloading' || p.phase === 'reading') return t('syncReadingPhase');
  return describeProgress(p);
}

export function SyncProgressBar({ progress, name }: { progress: SyncProgress; name: string }) {
  const active = progress.phase === 'reading' || progress.phase === 'downloading' || progress.phase === 'saving';
  const share = progress.total > 0 ? progress.done / progress.total : progress.fraction;
  const known = active && share !== undefined && share > 0;
  const percent = known ? Math.min(100, Math.round(share! * 100)) : undefined;
  return (
    <div class="sync-progress">
      <div
        class={`sync-bar${known ? '' : ' sync-bar-busy'}`}
        role="progressbar"
        aria-label={t('syncProgressLabel', name)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={describeProgress(progress)}
      >
        {/* Scaled, not resized: the compositor moves it without a layout of the page each frame. */}
        <div class="sync-bar-fill" style={known ? { transform: `scaleX(${percent! / 100})` } : { width: '30%' }} />
      </div>
      <p class="sync-words" aria-hidden="true">{describeProgress(progress)}</p>
      <p class="visually-hidden" aria-live="polite">{announceProgress(progress)}</p>
    </div>
  );
}
