// Settings live in storage.sync (they follow the user across browsers) and
// fall back to storage.local where sync is disabled or unavailable. Secrets
// and the archive never go here.
import browser from 'webextension-polyfill';

export type PeriodicSync = 'off' | 'hourly' | 'daily';

export interface Settings {
  /** The side panel starts collapsed. */
  panelCollapsed: boolean;
  /** Sync GitHub sources on a schedule (alarms); off by default. */
  periodicSync: PeriodicSync;
  /** Mark archived videos' thumbnails on YouTube (feeds, search, playlists, Shorts). */
  markThumbnails: boolean;
  /**
   * A sync stops before ArchiveLens's storage passes this many GB (the
   * extension may use the disk without a quota, and a hostile archive could
   * fill it). The archive is left as it was.
   */
  storageLimitGb: number;
}

/** The storage limit's bounds, in GB. */
export const STORAGE_LIMIT_GB = { min: 0.1, max: 1000, default: 4 } as const;

/** Whether a value can be the storage limit. */
export function isStorageLimit(value: unknown): value is number {
  return typeof value === 'number' && value >= STORAGE_LIMIT_GB.min && value <= STORAGE_LIMIT_GB.max;
}

export const DEFAULT_SETTINGS: Settings = { panelCollapsed: false, periodicSync: 'off', markThumbnails: true, storageLimitGb: STORAGE_LIMIT_GB.default };

export const PERIODIC_SYNC_MINUTES: Record<PeriodicSync, number> = { off: 0, hourly: 60, daily: 24 * 60 };

// Chosen once per page: a change is then written at once. Choosing again on
// every save put a round trip before the write, and a page closed or left
// right after a click (the options page, in Firefox) never wrote it.
let chosen: Promise<browser.Storage.StorageArea> | null = null;

function area(): Promise<browser.Storage.StorageArea> {
  chosen ??= browser.storage.sync.get(null).then(
    () => browser.storage.sync,
    () => browser.storage.local,
  );
  return chosen;
}

export async function loadSettings(): Promise<Settings> {
  try {
    const stored = await (await area()).get(Object.keys(DEFAULT_SETTINGS));
    return validate(stored);
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export async function saveSettings(change: Partial<Settings>): Promise<void> {
  await (await area()).set(change);
}

function validate(stored: Record<string, unknown>): Settings {
  return {
    panelCollapsed: typeof stored.panelCollapsed === 'boolean' ? stored.panelCollapsed : DEFAULT_SETTINGS.panelCollapsed,
    periodicSync: stored.periodicSync === 'hourly' || stored.periodicSync === 'daily' ? stored.periodicSync : 'off',
    markThumbnails: typeof stored.markThumbnails === 'boolean' ? stored.markThumbnails : DEFAULT_SETTINGS.markThumbnails,
    storageLimitGb: isStorageLimit(stored.storageLimitGb) ? stored.storageLimitGb : DEFAULT_SETTINGS.storageLimitGb,
  };
}
