// The setting that turns the marks on YouTube's thumbnails on or off.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { loadSettings, saveSettings } from '../shared/settings';

export function MarkThumbnails() {
  const [value, setValue] = useState<boolean | null>(null);
  useEffect(() => void loadSettings().then((s) => setValue(s.markThumbnails)), []);
  if (value === null) return null;
  return (
    <div class="field field-check">
      <label>
        <input type="checkbox" id="mark-thumbnails" checked={value} onChange={(e) => {
          const next = e.currentTarget.checked;
          setValue(next);
          void saveSettings({ markThumbnails: next });
        }} />
        {' '}{t('optionsMarkThumbnails')}
      </label>
      <small>{t('optionsMarkThumbnailsExplain')}</small>
    </div>
  );
}
