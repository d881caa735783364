// An archived summary as plain text, collapsed behind "Show more" when long.
// Text only: archive content never reaches the page as HTML. However long a
// post is (hostile archives have posts of 2 MB, or of 190,000 short lines),
// one click lays out at most a page of it, so the page it is shown on never stalls.
import { useState } from 'preact/hooks';
import { safeEnd, SENT_SUMMARY_CHARS } from '../core/clip';
import { ask } from '../shared/client';
import { describeError, t } from '../shared/i18n';
import { RichText } from './RichText';

/** Summaries longer than this start collapsed. */
export const SUMMARY_PREVIEW_CHARS = 280;
/** What one "Show more" adds at most: characters, and paragraphs (each is an element with its links and times). */
export const PAGE_CHARS = 10_000;
export const PAGE_PARAGRAPHS = 200;

export function previewOf(text: string, limit = SUMMARY_PREVIEW_CHARS): string {
  if (text.length <= limit) return text;
  // Cut on a code point boundary, never in the middle of a surrogate pair; only the start is ever looked at.
  return `${Array.from(text.slice(0, limit * 2)).slice(0, limit).join('').trimEnd()}…`;
}

/** Where the page of `text` that starts at `start` ends: after PAGE_CHARS, or after PAGE_PARAGRAPHS line breaks. */
export function pageEnd(text: string, start: number): number {
  let end = Math.min(text.length, start + PAGE_CHARS);
  let breaks = 0;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    if (++breaks >= PAGE_PARAGRAPHS) {
      end = i + 1;
      break;
    }
  }
  return safeEnd(text, end);
}

interface Props {
  text: string;
  /** The post's video, so its times can seek it or link to that moment. */
  videoId?: string | null;
  /** The channel's usual opening and closing text: shown after the post's own words, folded. */
  folded?: { header: string; footer: string } | undefined;
  /** Shown from the start (the gone-video view), a page at a time, never as a preview. */
  whole?: boolean;
  /** When `text` is only the start of the post's description: the post, and the whole length (the rest is read as the reader goes on). */
  rest?: { key: string; total: number } | undefined;
  class?: string;
}

/** The text without the channel's boilerplate, when it has some. */
function ownWords(text: string, folded: Props['folded']): string {
  if (!folded) return text;
  const start = text.startsWith(folded.header) ? folded.header.length : 0;
  const end = folded.footer && text.endsWith(folded.footer) ? text.length - folded.footer.length : text.length;
  return end > start ? text.slice(start, end) : text;
}

/** Text as paragraphs with links and times, a page at a time: "Show more" lays out the next page. */
function PagedText({ text, videoId, open, more = false, onMore }: { text: string; videoId: string | null; open: number; more?: boolean; onMore?: () => void }) {
  const shown = text.slice(0, open);
  return (
    <>
      {shown.split(/\n+/).filter(Boolean).map((paragraph, i) => (
        <p key={i}><RichText text={paragraph} videoId={videoId} /></p>
      ))}
      {(open < text.length || more) && onMore && (
        <button type="button" class="al-link-button" aria-expanded={false} onClick={onMore}>{t('postShowMore')}</button>
      )}
    </>
  );
}

export function Summary({ text: sent, videoId = null, folded, whole = false, rest, class: extra = '' }: Props) {
  // How much of the text is laid out: 0 is the preview.
  const [open, setOpen] = useState(0);
  const [boilerplateOpen, setBoilerplateOpen] = useState<number[]>([]);
  // What was read of the rest of a clipped description, and a failure to read more.
  const [more, setMore] = useState<{ for: string; text: string } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const all = more?.for === sent ? sent + more.text : sent;
  const unread = rest && all.length < rest.total;
  if (!all.trim()) return <p class={`al-summary al-muted ${extra}`}>{t('postNoSummary')}</p>;
  const text = ownWords(all, folded);
  const boilerplate = folded ? [folded.header, folded.footer].map((part) => part.trim()).filter(Boolean) : [];
  const long = !whole && text.length > SUMMARY_PREVIEW_CHARS && Array.from(text.slice(0, SUMMARY_PREVIEW_CHARS * 2)).length > SUMMARY_PREVIEW_CHARS;
  const laidOut = whole || !long ? Math.max(open, pageEnd(text, 0)) : open;
  /** The next page: from what is here, or read from the archive first when the laid-out text reached what was sent. */
  const showMore = (from: number) => {
    const end = pageEnd(text, from);
    if (end < text.length || !unread || !rest) return setOpen(end);
    ask('postText', { key: rest.key, from: all.length, to: all.length + SENT_SUMMARY_CHARS }).then((answer) => {
      setFailed(null);
      const read = (more?.for === sent ? more.text : '') + answer.text;
      setMore({ for: sent, text: read });
      setOpen(pageEnd(ownWords(sent + read, folded), from));
    }, (error: unknown) => setFailed(describeError(error)));
  };
  return (
    <div class={`al-summary ${extra}`}>
      {long && open === 0
        ? previewOf(text).split(/\n+/).map((paragraph, i) => <p key={i}><RichText text={paragraph} videoId={videoId} /></p>)
        : <PagedText text={text} videoId={videoId} open={laidOut} more={Boolean(unread)} onMore={() => showMore(laidOut)} />}
      {long && open === 0 && (
        <button type="button" class="al-link-button" aria-expanded={false} onClick={() => showMore(0)}>{t('postShowMore')}</button>
      )}
      {failed && <p class="al-muted" role="alert">{failed}</p>}
      {long && open > 0 && (
        <button type="button" class="al-link-button" aria-expanded={true} onClick={() => setOpen(0)}>{t('postShowLess')}</button>
      )}
      {boilerplate.length > 0 && (
        <details class="al-boilerplate">
          <summary>{t('postChannelBoilerplate')}</summary>
          {boilerplate.map((part, i) => {
            const shownTo = Math.max(boilerplateOpen[i] ?? 0, pageEnd(part, 0));
            return (
              <PagedText key={i} text={part} videoId={videoId} open={shownTo} onMore={() => {
                const next = [...boilerplateOpen];
                next[i] = pageEnd(part, shownTo);
                setBoilerplateOpen(next);
              }} />
            );
          })}
        </details>
      )}
    </div>
  );
}
