// Adding a bundle URL: the host permission for that site is asked for here,
// from the user's click, and only for that site.
import type { SyncProgress } from '../sync/progress';
import { AddedSourceProgress, type AddedSource } from './AddedSourceProgress';
import { userMessage } from '../core/user-messages';
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { ask } from '../shared/client';
import { describeError, say, t } from '../shared/i18n';
import type { ArchiveStats } from '../shared/messages';
import { bundleOrigin } from '../sync/sources';

export function AddBundleSource({ onAdded, progress }: { onAdded: (stats: ArchiveStats) => void; progress: Record<string, SyncProgress> }) {
  const [added, setAdded] = useState<AddedSource | null>(null);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    let origin: string;
    try {
      origin = bundleOrigin(url.trim());
    } catch {
      setError(say(userMessage('bundleAddress')));
      return;
    }
    // Must run straight from the click: browsers only ask for permissions during a user gesture.
    const granted = await browser.permissions.request({ origins: [origin] }).catch(() => false);
    if (!granted) {
      setError(t('optionsPermissionDenied', new URL(url.trim()).host));
      return;
    }
    try {
      const at = Date.now();
      const { stats, source } = await ask('addBundleSource', { url });
      setUrl('');
      setAdded({ id: source.id, name: source.name, at });
      onAdded(stats);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <form class="add-source" id="add-bundle" onSubmit={(e) => void submit(e)}>
      <p class="al-muted">{t('optionsBundleExplain')}</p>
      <div class="field">
        <label for="bundle-url">{t('optionsBundleUrl')}</label>
        <input id="bundle-url" type="url" required placeholder="https://example.github.io/archive/archive.ndjson.gz" value={url}
          onInput={(e) => setUrl(e.currentTarget.value)} />
      </div>
      {error && <p role="alert" class="options-error">{error}</p>}
      <p class="al-muted">{t('optionsAddStartsSync')}</p>
      <button type="submit">{t('optionsAddAndSync')}</button>
      <AddedSourceProgress added={added} progress={progress} />
    </form>
  );
}
