// ArchiveLens's names on YouTube's page are this install's own: no page can
// look for a fixed tag or send a fixed event to find or nudge it.
import { beforeEach, describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { resetFakeBrowser } from '../../test/support/fake-browser';
import { loadPageNames, ourElements, pageNames } from './page-names';

beforeEach(() => resetFakeBrowser());

describe("the names of ArchiveLens's elements on YouTube", () => {
  it('come from a secret made once per install, kept where pages cannot read it', async () => {
    const first = { ...(await loadPageNames()) };
    expect(first.panel).toMatch(/^[a-z][a-z0-9]{11}-panel$/);
    expect(first.panel).not.toContain('archivelens');
    expect(first.takeover).not.toContain('archivelens');
    const { pageSecret } = await browser.storage.local.get('pageSecret');
    expect(first.panel).toBe(`${pageSecret}-panel`);
    // Every content script of the install (an updated one too) uses the same names.
    expect(await loadPageNames()).toEqual(first);
    expect(ourElements()).toBe([first.panel, first.gone, first.short, first.mark, first.title].join(', '));
    // Another install has others.
    resetFakeBrowser();
    expect((await loadPageNames()).panel).not.toBe(first.panel);
  });

  it('make a new secret when the stored one is not a valid name', async () => {
    await browser.storage.local.set({ pageSecret: 'x"><img' });
    await loadPageNames();
    expect(pageNames.hidden).toMatch(/^data-[a-z][a-z0-9]{11}-hidden$/);
  });
});
