// The toolbar badge: how many posts the tab's video has.
import browser from 'webextension-polyfill';

export async function showCount(tabId: number, count: number | null): Promise<void> {
  const text = count && count > 0 ? String(count > 99 ? '99+' : count) : '';
  try {
    await browser.action.setBadgeBackgroundColor({ tabId, color: '#3b6db3' });
    await browser.action.setBadgeText({ tabId, text });
  } catch {
    // The tab closed in the meantime: nothing to show.
  }
}
