// Shared setup for extension pages (popup, options): language, direction and theme.
import browser from 'webextension-polyfill';
import { t, type MessageKey } from '../shared/i18n';

export function setupPage(titleKey: MessageKey): void {
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = t(titleKey);
}
