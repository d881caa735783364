// Live sync progress, as the background writes it to storage.local.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { PROGRESS_KEY as KEY, type SyncProgress } from '../sync/progress';

export function useSyncProgress(): Record<string, SyncProgress> {
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  useEffect(() => {
    let live = true;
    void browser.storage.local.get(KEY).then((v) => live && setProgress((v[KEY] ?? {}) as Record<string, SyncProgress>));
    const listener = (changes: Record<string, browser.Storage.StorageChange>, area: string) => {
      if (area === 'local' && changes[KEY]) setProgress((changes[KEY].newValue ?? {}) as Record<string, SyncProgress>);
    };
    browser.storage.onChanged.addListener(listener);
    return () => {
      live = false;
      browser.storage.onChanged.removeListener(listener);
    };
  }, []);
  return progress;
}
