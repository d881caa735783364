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

interface Props {
  text: string;
  /** The post's video, so its times can seek it or link to that moment. */
  videoId?: string | null;
  /** The channel's usual opening and closing text: shown after the post's own words, folded. */
  folded?: { header: string; footer: string } | undefined;
  /** Shown whole from the start (the gone-video view), never as a preview. */
  whole?: boolean;
  class?: string;
}

/** The text without the channel's boilerplate, when it has some. */
function ownWords(text: string, folded: Props['folded']): string {
  if (!folded) return text;
  const start = text.startsWith(folded.header) ? folded.header.length : 0;
  const end = folded.footer && text.endsWith(folded.footer) ? text.length - folded.footer.length : text.length;
  return end > start ? text.slice(start, end) : text;
}

export function Summary({ text: all, videoId = null, folded, whole = false, class: extra = '' }: Props) {
  const [expanded, setExpanded] = useState(false);
  if (!all.trim()) return <p class={`al-summary al-muted ${extra}`}>{t('postNoSummary')}</p>;
  const text = ownWords(all, folded);
  const boilerplate = folded ? [folded.header, folded.footer].filter((part) => part.trim()) : [];
  const long = !whole && Array.from(text).length > SUMMARY_PREVIEW_CHARS;
  const shown = expanded || !long ? text : previewOf(text);
  return (
    <div class={`al-summary ${extra}`}>
      {shown.split(/\n+/).map((paragraph, i) => (
        <p key={i}><RichText text={paragraph} videoId={videoId} /></p>
      ))}
      {long && (
        <button type="button" class="al-link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? t('postShowLess') : t('postShowMore')}
        </button>
      )}
      {boilerplate.length > 0 && (
        <details class="al-boilerplate">
          <summary>{t('postChannelBoilerplate')}</summary>
          {boilerplate.map((part, i) => (
            <p key={i}><RichText text={part.trim()} videoId={videoId} /></p>
          ))}
        </details>
      )}
    </div>
  );
}
