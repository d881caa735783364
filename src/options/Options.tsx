// The options page: what the archive stores, by source, and managing it.
import { useEffect, useState } from 'preact/hooks';
import { ask } from '../shared/client';
import { formatDate, formatNumber, t } from '../shared/i18n';
import type { ArchiveStats, SourceView } from '../shared/messages';

export function Options() {
  const [stats, setStats] = useState<ArchiveStats | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<ArchiveStats>) => {
    setBusy(true);
    setError(null);
    try {
      setStats(await action());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => void run(() => ask('stats', {})), []);

  const builtinPresent = stats?.sources.some((s) => s.builtin) ?? false;
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <section aria-labelledby="archive-heading">
        <h2 id="archive-heading">{t('optionsArchive')}</h2>
        {stats && (
          <p data-testid="archive-size">
            {t('popupArchiveSize', formatNumber(stats.posts), formatNumber(stats.videos), formatNumber(stats.channels))}
          </p>
        )}
        {error && <p role="alert" class="options-error">{error}</p>}
        <h3>{t('optionsSources')}</h3>
        {stats && stats.sources.length === 0 && <p class="al-muted">{t('optionsNoSources')}</p>}
        <ul class="options-sources">
          {stats?.sources.map((source) => (
            <SourceRow key={source.id} source={source} busy={busy} onRemove={() => run(() => ask('removeSource', { sourceId: source.id }))} />
          ))}
        </ul>
        {builtinPresent && <p class="al-muted">{t('optionsBuiltinExplain')}</p>}
        <button type="button" disabled={busy} onClick={() => run(() => ask('reimportBuiltin', {}))}>
          {busy ? t('optionsWorking') : t('optionsReimport')}
        </button>
      </section>
    </main>
  );
}

function SourceRow({ source, busy, onRemove }: { source: SourceView; busy: boolean; onRemove: () => void }) {
  return (
    <li class="options-source">
      <div>
        <strong>{source.name}</strong>
        {source.builtin && <span class="al-badge">{t('sourceBuiltin')}</span>}
        <div class="al-muted">
          {t('optionsPosts', formatNumber(source.postCount))}
          {' · '}
          {t('optionsImportedAt', formatDate(new Date(source.importedAt).toISOString(), true))}
          {source.failureCount > 0 && ` · ${t('optionsFailures', formatNumber(source.failureCount))}`}
        </div>
      </div>
      <button type="button" disabled={busy} onClick={onRemove}>{t('optionsRemove', source.name)}</button>
    </li>
  );
}
