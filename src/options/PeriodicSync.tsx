import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { loadSettings, saveSettings, type PeriodicSync as Period } from '../shared/settings';

export function PeriodicSync() {
  const [value, setValue] = useState<Period | null>(null);
  useEffect(() => void loadSettings().then((s) => setValue(s.periodicSync)), []);
  if (!value) return null;
  return (
    <div class="field">
      <label for="periodic">{t('optionsPeriodic')}</label>
      <select id="periodic" value={value} onChange={(e) => {
        const next = e.currentTarget.value as Period;
        setValue(next);
        void saveSettings({ periodicSync: next });
      }}>
        <option value="off">{t('optionsPeriodicOff')}</option>
        <option value="hourly">{t('optionsPeriodicHourly')}</option>
        <option value="daily">{t('optionsPeriodicDaily')}</option>
      </select>
    </div>
  );
}
