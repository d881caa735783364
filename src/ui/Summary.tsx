// An archived summary as plain text, collapsed behind "Show more" when long.
// Text only: archive content never reaches the page as HTML.
import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { RichText } from './RichText';

/** Summaries longer than this start collapsed. */
export const SUMMARY_PREVIEW_CHARS = 280;

export function previewOf(text: string, limit = SUMMARY_PREVIEW_CHARS): string {
  if (text.length <= limit) return text;
  // Cut on a code point boundary, never in the middle of a surrogate pair.
  return `${Array.from(text).slice(0, limit).join('').trimEnd()}…`;
}

/** `videoId`: the post's video, so its times can seek it or link to that moment. */
export function Summary({ text, videoId = null }: { text: string; videoId?: string | null }) {
  const [expanded, setExpanded] = useState(false);
  if (!text.trim()) return <p class="al-summary al-muted">{t('postNoSummary')}</p>;
  const long = Array.from(text).length > SUMMARY_PREVIEW_CHARS;
  const shown = expanded || !long ? text : previewOf(text);
  return (
    <div class="al-summary">
      {shown.split(/\n+/).map((paragraph, i) => (
        <p key={i}><RichText text={paragraph} videoId={videoId} /></p>
      ))}
      {long && (
        <button type="button" class="al-link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? t('postShowLess') : t('postShowMore')}
        </button>
      )}
    </div>
  );
}
