// Live sync progress, as the background writes it (shared/progress-area.ts).
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { PROGRESS_KEY as KEY, type SyncProgress } from '../sync/progress';
import { progressArea, progressAreaName } from '../shared/progress-area';

export function useSyncProgress(): Record<string, SyncProgress> {
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  useEffect(() => {
    let live = true;
    void progressArea().get(KEY).then((v) => live && setProgress((v[KEY] ?? {}) as Record<string, SyncProgress>));
    const listener = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
      if (area === progressAreaName() && changes[KEY]) setProgress((changes[KEY].newValue ?? {}) as Record<string, SyncProgress>);
    };
    browser.storage.onChanged.addListener(listener);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(listener);
    };
  }, []);
  return progress;
}
