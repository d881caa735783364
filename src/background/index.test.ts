// What wakes the background: its own messages, alarms and the few events it
// needs; never every update of every tab.
import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';

type Fake = { listeners: Set<unknown> };
const listeners = (event: unknown) => (event as Fake).listeners.size;

describe('the background', () => {
  it('listens to no tab updates (the content script says what its page shows) but to its messages', async () => {
    await import('./index');
    expect(listeners(browser.tabs.onUpdated)).toBe(0);
    expect(listeners(browser.runtime.onMessage)).toBe(1);
    expect(listeners(browser.tabs.onRemoved)).toBe(1);
  });
});
