// Settings follow the reader in storage.sync, and stay usable where it fails.
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A fresh settings module (it chooses its storage area once) with the browser it sees. */
async function fresh() {
  vi.resetModules();
  const browser = (await import('webextension-polyfill')).default;
  (await import('../../test/support/fake-browser')).resetFakeBrowser();
  return { browser, ...(await import('./settings')) };
}

beforeEach(() => vi.restoreAllMocks());

describe('settings', () => {
  it('are kept in storage.sync', async () => {
    const { browser, loadSettings, saveSettings } = await fresh();
    await saveSettings({ markThumbnails: false, storageLimitGb: 2 });
    expect(await browser.storage.sync.get(['markThumbnails', 'storageLimitGb'])).toEqual({ markThumbnails: false, storageLimitGb: 2 });
    expect(await loadSettings()).toMatchObject({ markThumbnails: false, storageLimitGb: 2, periodicSync: 'off' });
  });

  it('fall back to storage.local when storage.sync fails (sync turned off, a managed profile), and lose nothing', async () => {
    const { browser, loadSettings, saveSettings } = await fresh();
    vi.spyOn(browser.storage.sync, 'get').mockRejectedValue(new Error('storage.sync is disabled'));
    vi.spyOn(browser.storage.sync, 'set').mockRejectedValue(new Error('storage.sync is disabled'));
    expect(await loadSettings()).toMatchObject({ panelCollapsed: false, markThumbnails: true, storageLimitGb: 4 });
    await saveSettings({ panelCollapsed: true });
    expect(await browser.storage.local.get('panelCollapsed')).toEqual({ panelCollapsed: true });
    expect((await loadSettings()).panelCollapsed).toBe(true);
  });

  it('read nonsense as the defaults', async () => {
    const { browser, loadSettings } = await fresh();
    await browser.storage.sync.set({ storageLimitGb: -1, periodicSync: 'weekly', markThumbnails: 'yes' });
    expect(await loadSettings()).toMatchObject({ storageLimitGb: 4, periodicSync: 'off', markThumbnails: true });
  });
});
