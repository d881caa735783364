// The background: owns the archive, answers requests, keeps the badge right,
// and relays the keyboard shortcut to content scripts.
import browser, { type Runtime } from 'webextension-polyfill';
import { importBuiltinUnlessRemoved, ready } from './archive';
import { tabClosed } from './badge';
import { archiveChanged, findUsualText, handleMessage } from './router';
import { ALARMS, cleanUp, indexMissing, resumeInterrupted, syncAll, whenArchiveChanges } from './sync-manager';
import { loadSettings, PERIODIC_SYNC_MINUTES } from '../shared/settings';
import { guardStorage } from '../db/staging';
import { clearSpooled } from './download-spool';
import { paceDownloads } from './download-pacing';
import { mergeInWorkers } from './merge-host';
import { usualTextInWorkers } from './usual-text-host';
import { storageGuard } from './storage-guard';
import type { TabMessage } from '../shared/messages';

// Listeners are registered synchronously at the top level so that a stopped
// service worker is woken for them.
browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => handleMessage(message, sender));

// On install and on every update the built-in sample is (re)imported, since
// a new version may ship a new sample; it replaces only its own sources. A
// user who removed it keeps it removed (the options page can restore it).
browser.runtime.onInstalled.addListener(() => {
  void importBuiltinUnlessRemoved()
    .then(() => void archiveChanged())
    .catch((e: unknown) => console.error('ArchiveLens: the built-in archive could not be imported', e));
});
browser.runtime.onStartup.addListener(() => void ready());

// Every sync stops before the reader's storage limit (options page).
if (typeof navigator !== 'undefined' && 'storage' in navigator) guardStorage(storageGuard());

mergeInWorkers();
usualTextInWorkers();

// Sync: a finished sync changes what lookups answer, and readies search before it says it is done.
whenArchiveChanges(() => archiveChanged(true));
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARMS.WATCHDOG || alarm.name === ALARMS.RETRY) void resumeInterrupted();
  if (alarm.name === ALARMS.PERIODIC) void syncAll();
});
// Every start of the background: clear what interrupted work left (sources
// being written are skipped), then pick up syncs a stopped worker left at
// their checkpoint.
// A download kept on disk belongs to the sync that read it (sync/spool.ts): none outlives its background.
// Cleared at once, before any sync of this background could spool.
// Downloads from GitHub come at the pace they are read, before any sync of this background begins (background/download-pacing.ts).
void paceDownloads();
void clearSpooled().catch((e: unknown) => console.error('ArchiveLens: downloads kept on disk could not be deleted', e));
void cleanUp()
  .catch((e: unknown) => console.error('ArchiveLens: leftovers of interrupted syncs could not be cleared', e))
  .then(resumeInterrupted)
  .then(indexMissing)
  .catch((e: unknown) => console.error('ArchiveLens: the search index could not be built', e))
  .then(findUsualText);

async function schedulePeriodicSync(): Promise<void> {
  const { periodicSync } = await loadSettings();
  const minutes = PERIODIC_SYNC_MINUTES[periodicSync];
  if (!minutes) await browser.alarms.clear(ALARMS.PERIODIC);
  else if ((await browser.alarms.get(ALARMS.PERIODIC))?.periodInMinutes !== minutes) {
    await browser.alarms.create(ALARMS.PERIODIC, { periodInMinutes: minutes, delayInMinutes: minutes });
  }
}
void schedulePeriodicSync();
browser.storage.onChanged.addListener((changes) => {
  if ('periodicSync' in changes) void schedulePeriodicSync();
});

// Navigation in a tab: the content script says what its page shows
// (`navigated`), so the badge follows it; tabs.onUpdated would wake the
// background for every update of every tab.
browser.tabs.onRemoved.addListener((tabId) => tabClosed(tabId));

// Keyboard shortcuts (rebindable in the browser's shortcut settings): the
// popup's own (`_execute_action`) needs nothing here; the panel's is relayed
// to the active tab's content script.
browser.commands.onCommand.addListener((command) => {
  if (command !== 'toggle-panel') return;
  void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
    if (tab?.id !== undefined) return browser.tabs.sendMessage(tab.id, { type: 'togglePanel' } satisfies TabMessage);
  }).catch(() => {
    // Not a YouTube tab: nothing to show or hide.
  });
});
