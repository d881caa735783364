// Following a published index: the host permission for its site is asked for
// here, from the reader's click, and only for that site. Adding fetches the
// index's manifest and filter; nothing else is downloaded ahead.
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { indexAddresses } from '../core/published';
import { userMessage } from '../core/user-messages';
import { ask } from '../shared/client';
import { describeError, postCount, say, t } from '../shared/i18n';
import type { ArchiveStats } from '../shared/messages';
import { bundleOrigin } from '../sync/sources';

export function FollowIndex({ onAdded }: { onAdded: (stats: ArchiveStats) => void }) {
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [followed, setFollowed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setFollowed(null);
    const addresses = indexAddresses(url);
    if (!addresses) {
      setError(say(userMessage('publishedAddress')));
      return;
    }
    // Must run straight from the click: browsers only ask for permissions during a user gesture.
    const granted = await browser.permissions.request({ origins: [bundleOrigin(addresses[0]!)] }).catch(() => false);
    if (!granted) {
      setError(t('optionsPermissionDenied', new URL(addresses[0]!).host));
      return;
    }
    setBusy(true);
    try {
      const { stats, source } = await ask('followIndex', { url });
      setUrl('');
      setFollowed(`${source.name}: ${postCount(source.postCount)}`);
      onAdded(stats);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-source" id="follow-index" onSubmit={(e) => void submit(e)}>
      <p class="al-muted">{t('optionsFollowExplain')}</p>
      <div class="field">
        <label for="index-url">{t('optionsFollowUrl')}</label>
        <input id="index-url" type="url" required placeholder="https://nodebe4.github.io/teahouse/" value={url}
          onInput={(e) => setUrl(e.currentTarget.value)} />
      </div>
      {error && <p role="alert" class="options-error">{error}</p>}
      {followed && <p role="status" class="import-ok">{followed}</p>}
      <button type="submit" disabled={busy}>{busy ? t('optionsWorking') : t('optionsFollowButton')}</button>
    </form>
  );
}
