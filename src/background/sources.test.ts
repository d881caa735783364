// Managing sources through the background's requests, as the options page does.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import browser from 'webextension-polyfill';
import { db, ensureBuiltin, importBuiltin } from './archive';
import { handleMessage } from './router';
import type { Envelope } from '../shared/messages';

const page = { id: 'archivelens-test', url: 'chrome-extension://archivelens-test/src/options/index.html' };
const ask = async (message: object) => {
  const answer = (await handleMessage(message, page)) as Envelope<unknown>;
  if (!answer.ok) throw new Error(answer.error);
  return answer.value;
};
const builtinJson = () => JSON.parse(readFileSync(new URL('../../public/builtin/archive.json', import.meta.url), 'utf8'));

afterEach(() => vi.unstubAllGlobals());

describe('the built-in sample', () => {
  it('stays removed once the user removes it, until they restore it', async () => {
    await importBuiltin(async () => builtinJson());
    const builtin = (await db.sources.toArray()).filter((s) => s.kind === 'builtin');
    expect(builtin.length).toBeGreaterThan(0);
    for (const source of builtin) await ask({ type: 'removeSource', sourceId: source.id });
    // The next start of the worker, and an update of the extension, do not bring it back.
    await ensureBuiltin();
    expect((await db.sources.toArray()).filter((s) => s.kind === 'builtin')).toEqual([]);
    const stats = (await ask({ type: 'stats' })) as { builtinRemoved: boolean };
    expect(stats.builtinRemoved).toBe(true);
    // "Restore the built-in sample" brings it back.
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(builtinJson())));
    const restored = (await ask({ type: 'reimportBuiltin' })) as { builtinRemoved: boolean; sources: { builtin: boolean }[] };
    expect(restored.builtinRemoved).toBe(false);
    expect(restored.sources.some((s) => s.builtin)).toBe(true);
  });
});

describe('bundle sources', () => {
  // Adding a source starts its sync; nothing here may reach the network.
  beforeEach(() => vi.stubGlobal('fetch', async () => {
    throw new TypeError('no network in tests');
  }));

  it('refuse plain http except on this machine', async () => {
    await expect(ask({ type: 'addBundleSource', url: 'http://example.org/archive.ndjson.gz' })).rejects.toThrow(/https:\/\//);
  });

  it('give back the permission for a site when its last source is removed', async () => {
    const origin = 'https://example.org/*';
    await browser.permissions.request({ origins: [origin] });
    const added = (await ask({ type: 'addBundleSource', url: 'https://example.org/a.ndjson.gz' })) as { source: { id: string } };
    const second = (await ask({ type: 'addBundleSource', url: 'https://example.org/b.ndjson.gz' })) as { source: { id: string } };
    await ask({ type: 'removeSource', sourceId: added.source.id });
    expect(await browser.permissions.contains({ origins: [origin] })).toBe(true);
    await ask({ type: 'removeSource', sourceId: second.source.id });
    expect(await browser.permissions.contains({ origins: [origin] })).toBe(false);
  });
});
