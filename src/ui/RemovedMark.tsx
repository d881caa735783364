// The mark of a post its source removed, wherever a post is shown (panel,
// gone-video view, popup, library): the archive keeps it, and says since when.
import { formatDate, t } from '../shared/i18n';

export function RemovedMark({ at }: { at: number | undefined }) {
  if (at === undefined) return null;
  const date = new Date(at).toISOString();
  return (
    <span class="al-badge al-removed" title={t('postRemovedHint')}>
      {t('postRemoved', formatDate(date))}
    </span>
  );
}

/** The file link's label: a removed post's file is at the last commit that had it. */
export function fileLinkLabel(post: { removedAt?: number }): string {
  return post.removedAt === undefined ? t('postOpenFile') : t('postOpenFileRemoved');
}
