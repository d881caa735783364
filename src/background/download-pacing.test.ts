// The rule that has Chromium read GitHub's answers to the extension at the
// sync's pace. That Chromium honours it is checked in the browser
// (test/e2e/sync-scenarios.ts); here, what is asked of it.
import { afterEach, describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { forgetPacing, PACED_HOSTS, paceDownloads, pacedResponse } from './download-pacing';

interface Rule {
  id: number;
  action: { type: string; responseHeaders?: { header: string; operation: string; value?: string }[] };
  condition: { requestDomains?: string[]; initiatorDomains?: string[]; resourceTypes?: string[] };
}

/** declarativeNetRequest's session rules, as Chromium keeps them: an id is never added twice. */
function fakeRules(refuse = false) {
  const rules = new Map<number, Rule>();
  const api = {
    async updateSessionRules(update: { removeRuleIds?: number[]; addRules?: Rule[] }) {
      if (refuse) throw new Error('Rule with id 1 does not have a valid header name');
      for (const id of update.removeRuleIds ?? []) rules.delete(id);
      for (const rule of update.addRules ?? []) {
        if (rules.has(rule.id)) throw new Error(`Rule with id ${rule.id} does not have a unique ID`);
        rules.set(rule.id, rule);
      }
    },
  };
  (browser as unknown as { declarativeNetRequest?: unknown }).declarativeNetRequest = api;
  return rules;
}

const answer = (cacheControl?: string) => new Response('', { headers: cacheControl === undefined ? {} : { 'cache-control': cacheControl } });

afterEach(() => {
  delete (browser as unknown as { declarativeNetRequest?: unknown }).declarativeNetRequest;
  forgetPacing();
});

describe('pacing the downloads from GitHub', () => {
  it("says no-store on the extension's own requests to GitHub's API and codeload, and no one else's", async () => {
    const rules = fakeRules();
    expect(await paceDownloads()).toBe(true);
    expect([...rules.values()]).toEqual([{
      id: 1,
      priority: 1,
      action: { type: 'modifyHeaders', responseHeaders: [{ header: 'cache-control', operation: 'set', value: 'no-store' }] },
      condition: { requestDomains: ['api.github.com', 'codeload.github.com'], initiatorDomains: [browser.runtime.id], resourceTypes: ['xmlhttprequest'] },
    }]);
    expect(PACED_HOSTS).not.toContain('raw.githubusercontent.com');
  });

  it('replaces the rule a background before this one left (session rules outlive the service worker)', async () => {
    const rules = fakeRules();
    await paceDownloads();
    forgetPacing();
    expect(await paceDownloads()).toBe(true);
    expect(rules.size).toBe(1);
  });

  it('registers the rule once per background, however many syncs ask', async () => {
    let calls = 0;
    fakeRules();
    const api = (browser as unknown as { declarativeNetRequest: { updateSessionRules: (u: unknown) => Promise<void> } }).declarativeNetRequest;
    const update = api.updateSessionRules.bind(api);
    api.updateSessionRules = (u) => (calls++, update(u));
    await Promise.all([paceDownloads(), paceDownloads(), pacedResponse()]);
    expect(calls).toBe(1);
  });

  it('takes an answer saying no-store as paced only where the rule is in place', async () => {
    fakeRules();
    const paced = await pacedResponse();
    expect(paced(answer('no-store'))).toBe(true);
    expect(paced(answer('private, No-Store'))).toBe(true);
    // GitHub's own: cacheable, so read ahead (the rule did not reach this request).
    expect(paced(answer('private, max-age=60, s-maxage=60'))).toBe(false);
    expect(paced(answer('no-store-ish'))).toBe(false);
    expect(paced(answer())).toBe(false);
  });

  it('paces nothing in Firefox (no declarativeNetRequest: its fetch reads ahead whatever the answer says)', async () => {
    expect(await paceDownloads()).toBe(false);
    expect((await pacedResponse())(answer('no-store'))).toBe(false);
  });

  it('paces nothing when the browser refuses the rule, and says so', async () => {
    fakeRules(true);
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      expect(await paceDownloads()).toBe(false);
    } finally {
      console.error = error;
    }
    expect(errors).toHaveLength(1);
    expect((await pacedResponse())(answer('no-store'))).toBe(false);
  });
});
