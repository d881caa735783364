// What the uploader changed: the archived title and description against what
// YouTube shows now, and a video's history from one archived version to the
// next. Removed words struck through, added words marked; text only.
import type { DiffOp, TextChange } from '../core/text-diff';
import { useTextChanges, type Compared } from './use-text-changes';
import type { PostView } from '../shared/messages';
import { countOf, formatDate, formatNumber, t } from '../shared/i18n';

/** Unchanged text longer than this is shortened to its ends. */
const CONTEXT = 24;

export function Diff({ ops }: { ops: DiffOp[] }) {
  return (
    <span class="al-diff">
      {ops.map((op, i) => {
        if (op.op === '-') return <del key={i}>{op.text}</del>;
        if (op.op === '+') return <ins key={i}>{op.text}</ins>;
        const chars = Array.from(op.text);
        if (chars.length <= CONTEXT * 2 + 1) return op.text;
        const head = i === 0 ? '' : chars.slice(0, CONTEXT).join('');
        const tail = i === ops.length - 1 ? '' : chars.slice(-CONTEXT).join('');
        return `${head}…${tail}`;
      })}
    </span>
  );
}

function describe(change: TextChange): string {
  if (change.removed && change.added) return t('changesEdited', countOf('Words', change.removed), formatNumber(change.added));
  if (change.removed) return t('changesRemoved', countOf('Words', change.removed));
  return t('changesAdded', countOf('Words', change.added));
}

/** The newest archived version against the page, when the page shows the title or the whole description. */
export function Changes({ archived, current }: { archived: PostView; current: { title: string | null; description: string | null } }) {
  const pairs: [Compared, Compared][] = [];
  if (current.title) pairs.push([{ text: archived.title, post: { key: archived.key, field: 'title' } }, { text: current.title }]);
  if (current.description && archived.summary.trim()) pairs.push([{ text: archived.summary, post: { key: archived.key, field: 'summary' } }, { text: current.description }]);
  const changes = useTextChanges(pairs);
  if (!changes) return null;
  const title = current.title ? changes[0] ?? null : null;
  const description = current.description && archived.summary.trim() ? changes[current.title ? 1 : 0] ?? null : null;
  if (!title && !description) return null;
  return (
    <section class="al-changes" aria-label={t('changesLabel')} role="status">
      {title && (
        <p class="al-change">
          <strong>{t('changesTitle')}</strong>{' '}
          {title.diff ? <Diff ops={title.diff} /> : <span>{current.title}</span>}
        </p>
      )}
      {description && (
        <details class="al-change">
          <summary><strong>{t('changesDescription')}</strong> {describe(description)}</summary>
          {description.diff ? <p><Diff ops={description.diff} /></p> : <p class="al-muted">{t('changesRewritten')}</p>}
        </details>
      )}
    </section>
  );
}

/** The versions of a video, oldest first, each with what changed from the one before. */
export function VersionHistory({ posts }: { posts: PostView[] }) {
  const oldestFirst = [...posts].reverse();
  // Each version against the one before: its title, then its description (both are there to compare).
  const side = (p: PostView, field: 'title' | 'summary'): Compared => ({ text: p[field], post: { key: p.key, field } });
  const pairs = oldestFirst.slice(1).flatMap((post, i): [Compared, Compared][] => {
    const before = oldestFirst[i]!;
    return [[side(before, 'title'), side(post, 'title')], before.summary.trim() && post.summary.trim() ? [side(before, 'summary'), side(post, 'summary')] : [{ text: '' }, { text: '' }]];
  });
  const changes = useTextChanges(pairs);
  return (
    <ol class="al-timeline" aria-label={t('changesHistory')}>
      {oldestFirst.map((post, i) => {
        const before = oldestFirst[i - 1];
        const title = before ? changes?.[(i - 1) * 2] ?? null : null;
        const description = before ? changes?.[(i - 1) * 2 + 1] ?? null : null;
        return (
          <li key={post.key}>
            <time dateTime={post.date}>{formatDate(post.date)}</time>{' '}
            {!before ? t('changesFirstArchived')
              : !changes ? '…'
              : !title && !description ? t('changesNothing')
              : (
                <>
                  {title && <span class="al-change">{t('changesTitle')} {title.diff ? <Diff ops={title.diff} /> : post.title}</span>}
                  {title && description && ' · '}
                  {description && <span class="al-change">{t('changesDescription')} {describe(description)}</span>}
                </>
              )}
          </li>
        );
      })}
    </ol>
  );
}
