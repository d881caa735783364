import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { getToken, setToken } from './tokens';

describe('access tokens', () => {
  it('are kept out of storage.local, which content scripts can read, and moved out of it', async () => {
    // An earlier version left a token there.
    await browser.storage.local.set({ tokens: { 'github:old/repo': 'ghp_old' } });
    expect(await getToken('github:old/repo')).toBe('ghp_old');
    await setToken('github:nodebe4/private', 'ghp_secret');
    expect(await getToken('github:nodebe4/private')).toBe('ghp_secret');
    const everything = JSON.stringify(await browser.storage.local.get(null));
    expect(everything).not.toContain('ghp_');
    await setToken('github:nodebe4/private', null);
    expect(await getToken('github:nodebe4/private')).toBeNull();
  });
});
