// What ArchiveLens takes of this computer's storage (the browser's own
// estimate), and the limit past which a sync stops (shared/settings.ts).
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, t } from '../shared/i18n';
import { isStorageLimit, loadSettings, saveSettings, STORAGE_LIMIT_GB } from '../shared/settings';

/** `used`: what ArchiveLens takes (options/storage-shares.ts useStorageUsed), null where the browser does not say. */
export function StorageLimit({ used }: { used: number | null }) {
  const [limit, setLimit] = useState<number | null>(null);
  useEffect(() => void loadSettings().then((s) => setLimit(s.storageLimitGb)), []);
  if (limit === null) return null;
  return (
    <div class="field">
      <label for="storage-limit">{t('optionsStorageLimit')}</label>
      <input id="storage-limit" type="number" inputMode="decimal" min={STORAGE_LIMIT_GB.min} max={STORAGE_LIMIT_GB.max} step="0.1" value={limit}
        onChange={(e) => {
          const next = Number(e.currentTarget.value);
          if (!isStorageLimit(next)) {
            e.currentTarget.value = String(limit);
            return;
          }
          setLimit(next);
          void saveSettings({ storageLimitGb: next });
        }} />
      <small>
        {used !== null && `${t('optionsStorageUsed', formatBytes(used))} `}
        {t('optionsStorageLimitExplain')}
      </small>
    </div>
  );
}
