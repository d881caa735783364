// The form that adds a GitHub archive repository as a source.
import type { SyncProgress } from '../sync/progress';
import { AddedSourceProgress, type AddedSource } from './AddedSourceProgress';
import { useState } from 'preact/hooks';
import { ask } from '../shared/client';
import { describeError, t } from '../shared/i18n';
import type { ArchiveStats } from '../shared/messages';

export const SUGGESTED_REPOSITORY = 'NodeBE4/teahouse';

export function AddGithubSource({ onAdded, progress }: { onAdded: (stats: ArchiveStats) => void; progress: Record<string, SyncProgress> }) {
  const [added, setAdded] = useState<AddedSource | null>(null);
  const [repository, setRepository] = useState(SUGGESTED_REPOSITORY);
  const [branch, setBranch] = useState('');
  const [folders, setFolders] = useState('_posts, archived');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const at = Date.now();
      const { stats, source } = await ask('addGithubSource', { repository, branch, folders, token });
      setToken('');
      setAdded({ id: source.id, name: source.name, at });
      onAdded(stats);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-source" id="add-github" onSubmit={(e) => void submit(e)}>
      <p class="al-muted">{t('optionsAddGithubExplain')}</p>
      <div class="field">
        <label for="repository">{t('optionsRepository')}</label>
        <input id="repository" required value={repository} placeholder={SUGGESTED_REPOSITORY} aria-describedby="repository-hint"
          onInput={(e) => setRepository(e.currentTarget.value)} />
        <small id="repository-hint">{t('optionsRepositoryHint')}</small>
      </div>
      <div class="field">
        <label for="branch">{t('optionsBranch')}</label>
        <input id="branch" value={branch} aria-describedby="branch-hint" onInput={(e) => setBranch(e.currentTarget.value)} />
        <small id="branch-hint">{t('optionsBranchHint')}</small>
      </div>
      <div class="field">
        <label for="folders">{t('optionsFolders')}</label>
        <input id="folders" value={folders} aria-describedby="folders-hint" onInput={(e) => setFolders(e.currentTarget.value)} />
        <small id="folders-hint">{t('optionsFoldersHint')}</small>
      </div>
      <div class="field">
        <label for="token">{t('optionsToken')}</label>
        <input id="token" type="password" autoComplete="off" value={token} aria-describedby="token-hint" onInput={(e) => setToken(e.currentTarget.value)} />
        <small id="token-hint">{t('optionsTokenHint')}</small>
      </div>
      {error && <p role="alert" class="options-error">{error}</p>}
      <p class="al-muted">{t('optionsAddStartsSync')}</p>
      <button type="submit" disabled={busy}>{t('optionsAddAndSync')}</button>
      <AddedSourceProgress added={added} progress={progress} />
    </form>
  );
}
