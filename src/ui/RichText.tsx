// Archived text with what a reader can act on: links (http(s) only), times
// that seek the video being played (or link to that moment), and hashtags
// that search the archive. Every piece is rendered as text by Preact.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { descriptionPieces, watchAt } from '../core/description';
import { videoIdFromUrl } from '../core/youtube';
import { t } from '../shared/i18n';
import { safeHref } from './safe-href';

export interface TextActions {
  /** The video being played on this page, if any: times in its posts seek it. */
  playing?: string | null;
  seek?: (seconds: number) => void;
  /** Searches the archive for a hashtag; `trusted`: the reader clicked it (not a script). */
  hashtag?: (tag: string, trusted: boolean) => void;
  /** On YouTube, YouTube links open in the same tab as YouTube's own would. */
  youtubeInPlace?: boolean;
}

export const TextActionsContext = createContext<TextActions>({});

function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

export function RichText({ text, videoId }: { text: string; videoId: string | null }) {
  const actions = useContext(TextActionsContext);
  return (
    <>
      {descriptionPieces(text).map((piece, i) => {
        if (piece.kind === 'link') {
          const href = safeHref(piece.url);
          if (!href) return piece.text;
          const inPlace = actions.youtubeInPlace && videoIdFromUrl(href) !== null;
          return inPlace
            ? <a key={i} href={href}>{piece.text}</a>
            : <a key={i} href={href} target="_blank" rel="noopener noreferrer">{piece.text}</a>;
        }
        if (piece.kind === 'time') {
          if (actions.seek && videoId && actions.playing === videoId) {
            const seek = actions.seek;
            return (
              <button key={i} type="button" class="al-time" title={t('postSeek', formatSeconds(piece.seconds))} onClick={() => seek(piece.seconds)}>
                {piece.text}
              </button>
            );
          }
          if (videoId) return <a key={i} href={watchAt(videoId, piece.seconds)} target="_blank" rel="noopener noreferrer">{piece.text}</a>;
          return piece.text;
        }
        if (piece.kind === 'hashtag' && actions.hashtag) {
          const search = actions.hashtag;
          return <button key={i} type="button" class="al-hashtag" title={t('postSearchTag', piece.tag)} onClick={(event) => search(piece.tag, event.isTrusted === true)}>{piece.text}</button>;
        }
        return piece.text;
      })}
    </>
  );
}
