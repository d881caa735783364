// Shared setup for extension pages (popup, options): language, direction and theme.
import browser from 'webextension-polyfill';
import { ensureMessages, t, type MessageKey } from '../shared/i18n';

/** Readies the page (its messages first: see ensureMessages), then renders it. */
export async function setupPage(titleKey: MessageKey, render: () => void): Promise<void> {
  await ensureMessages().catch((e: unknown) => console.error('ArchiveLens: messages could not be read', e));
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = t(titleKey);
  render();
}
