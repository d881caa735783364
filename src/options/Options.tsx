// The options page: add archive sources, sync them with visible progress,
// and see and manage what is stored.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ask } from '../shared/client';
import { countOf, describeError, t } from '../shared/i18n';
import type { ArchiveStats } from '../shared/messages';
import { AddBundleSource } from './AddBundleSource';
import { AddGithubSource } from './AddGithubSource';
import { FollowIndex } from './FollowIndex';
import { LocalImport } from './LocalImport';
import { MarkThumbnails } from './MarkThumbnails';
import { PeriodicSync } from './PeriodicSync';
import { StorageLimit } from './StorageLimit';
import { SourceRow } from './SourceRow';
import { storageShares, useStorageUsed } from './storage-shares';
import { useSyncProgress } from './use-sync-progress';

const FINISHED = new Set(['done', 'up-to-date', 'failed', 'cancelled']);

export function Options() {
  const [stats, setStats] = useState<ArchiveStats | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const progress = useSyncProgress();
  // Again whenever the sources change (a sync, a removal).
  const used = useStorageUsed(stats);
  const shares = storageShares(stats?.sources ?? [], used);

  const run = async (action: () => Promise<ArchiveStats | unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      setStats(result && typeof result === 'object' && 'sources' in result ? (result as ArchiveStats) : await ask('stats', {}));
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => void run(() => ask('stats', {})), []);

  // When a sync finishes, show the new counts and result.
  const seen = useRef<Record<string, string>>({});
  useEffect(() => {
    let refresh = false;
    for (const [id, p] of Object.entries(progress)) {
      const marker = `${p.phase}:${p.startedAt}`;
      if (seen.current[id] !== marker && (FINISHED.has(p.phase) || seen.current[id] === undefined)) refresh = true;
      seen.current[id] = marker;
    }
    if (refresh) void ask('stats', {}).then(setStats, () => {});
  }, [progress]);

  const builtinPresent = stats?.sources.some((s) => s.builtin) ?? false;
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <p>
        <a href="../library/index.html">{t('libraryOpen')}</a>
      </p>
      <section aria-labelledby="archive-heading">
        <h2 id="archive-heading">{t('optionsArchive')}</h2>
        {stats && (
          <p data-testid="archive-size">
            {t('popupArchiveSize', countOf('Posts', stats.posts), countOf('Videos', stats.videos), countOf('Channels', stats.channels))}
          </p>
        )}
        {error && <p role="alert" class="options-error">{error}</p>}
        <h3>{t('optionsSources')}</h3>
        {stats && stats.sources.length === 0 && <p class="al-muted">{t('optionsNoSources')}</p>}
        <ul class="options-sources">
          {stats?.sources.map((source) => (
            <SourceRow
              key={source.id}
              source={source}
              stored={shares.get(source.id)}
              progress={progress[source.id]}
              busy={busy}
              onSync={() => void run(() => ask('syncSource', { sourceId: source.id }))}
              onCancel={() => void ask('cancelSync', { sourceId: source.id })}
              onRemove={() => void run(() => ask('removeSource', { sourceId: source.id }))}
              onMirror={(mirror) => void run(() => ask('setMirrorRemovals', { sourceId: source.id, mirror }))}
              onPurge={async () => {
                let purged = 0;
                await run(async () => {
                  const answer = await ask('purgeRemoved', { sourceId: source.id });
                  purged = answer.purged;
                  return answer.stats;
                });
                return purged;
              }}
              onKeepHeld={() => void run(() => ask('keepHeld', { sourceId: source.id }))}
              onKeepCopy={source.published?.repository ? () => void run(() => ask('addGithubSource', { repository: source.published!.repository!, branch: '', folders: '', token: '' })) : undefined}
            />
          ))}
        </ul>
        {builtinPresent && <p class="al-muted">{t('optionsBuiltinExplain')}</p>}
        {!builtinPresent && stats?.builtinRemoved && <p class="al-muted">{t('optionsBuiltinRemoved')}</p>}
        <button type="button" disabled={busy} onClick={() => void run(() => ask('reimportBuiltin', {}))}>
          {busy ? t('optionsWorking') : builtinPresent ? t('optionsReimport') : t('optionsRestoreBuiltin')}
        </button>
        <PeriodicSync />
        <MarkThumbnails />
        <StorageLimit used={used} />
      </section>
      <section aria-labelledby="add-heading">
        <h2 id="add-heading">{t('optionsAddGithub')}</h2>
        <AddGithubSource onAdded={setStats} progress={progress} />
      </section>
      <section aria-labelledby="bundle-heading">
        <h2 id="bundle-heading">{t('optionsAddBundle')}</h2>
        <AddBundleSource onAdded={setStats} progress={progress} />
      </section>
      <section aria-labelledby="follow-heading">
        <h2 id="follow-heading">{t('optionsFollowIndex')}</h2>
        <FollowIndex onAdded={setStats} />
      </section>
      <section aria-labelledby="import-heading">
        <h2 id="import-heading">{t('optionsImportFile')}</h2>
        <LocalImport onImported={setStats} />
      </section>
    </main>
  );
}
