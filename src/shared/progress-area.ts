// Where sync progress is kept for the options page: storage.session, which
// content scripts neither read nor hear by default. Progress is written
// every 250 ms while a sync runs; in storage.local each write woke every
// YouTube tab's storage listener (the marks setting's) for nothing. Where a
// browser has no session area, storage.local still works.
import browser from 'webextension-polyfill';

export function progressArea(): browser.Storage.StorageArea {
  return (browser.storage as { session?: browser.Storage.StorageArea }).session ?? browser.storage.local;
}

/** The name storage.onChanged gives the area progressArea() is. */
export function progressAreaName(): 'session' | 'local' {
  return (browser.storage as { session?: unknown }).session ? 'session' : 'local';
}
