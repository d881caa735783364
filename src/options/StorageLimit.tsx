// What ArchiveLens takes of this computer's storage (the browser's own
// estimate), and the limit past which a sync stops (shared/settings.ts).
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, t } from '../shared/i18n';
import { isStorageLimit, loadSettings, saveSettings, STORAGE_LIMIT_GB } from '../shared/settings';

export function StorageLimit({ version }: { version: unknown }) {
  const [limit, setLimit] = useState<number | null>(null);
  const [used, setUsed] = useState<number | null>(null);
  useEffect(() => void loadSettings().then((s) => setLimit(s.storageLimitGb)), []);
  // Again whenever the sources change (a sync, a removal).
  useEffect(() => {
    void navigator.storage?.estimate?.().then((e) => setUsed(e.usage ?? null), () => setUsed(null));
  }, [version]);
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
