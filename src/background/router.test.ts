import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { readFileSync } from 'node:fs';
import { importBuiltin } from './archive';
import { handleMessage, senderOrigin } from './router';

const EXT = 'chrome-extension://archivelens-test/';

describe('who the background answers', () => {
  it('answers the extension’s own pages and its content script on YouTube', () => {
    expect(senderOrigin({ id: 'archivelens-test', url: `${EXT}src/popup/index.html` })).toBe('page');
    expect(senderOrigin({ id: 'archivelens-test', url: 'https://www.youtube.com/watch?v=-VWLP6-06Jc', tab: { id: 3 } } as never)).toBe('content');
  });

  it('ignores other extensions and other sites', () => {
    expect(senderOrigin({ id: 'someone-else', url: `${EXT}x.html` })).toBeNull();
    expect(senderOrigin({ id: 'archivelens-test', url: 'https://evil.example/', tab: { id: 3 } } as never)).toBeNull();
    expect(senderOrigin({ id: 'archivelens-test', url: 'https://www.youtube.com.evil.example/', tab: { id: 3 } } as never)).toBeNull();
    expect(handleMessage({ type: 'stats' }, { id: 'someone-else', url: 'https://x/' })).toBeUndefined();
  });

  it('ignores messages that are not requests', () => {
    expect(handleMessage({ type: 'dropTables' }, { id: 'archivelens-test', url: `${EXT}x.html` })).toBeUndefined();
    expect(handleMessage('stats', { id: 'archivelens-test', url: `${EXT}x.html` })).toBeUndefined();
  });

  it('lets a content script look videos up but not manage the archive', async () => {
    const youtube = { id: 'archivelens-test', url: 'https://www.youtube.com/watch?v=x', tab: { id: 1 } } as never;
    expect(await handleMessage({ type: 'removeSource', sourceId: 'builtin:NodeBE4/society' }, youtube)).toEqual({
      ok: false,
      error: 'removeSource is not available to web pages.',
      message: { code: 'notForPages', args: ['removeSource'] },
    });
  });

  it("follows the page a content script says it shows with the toolbar badge", async () => {
    const badges = (browser.action as unknown as { badges: Map<number, string> }).badges;
    const tab = (url: string) => ({ id: 'archivelens-test', url, tab: { id: 7, url } }) as never;
    await importBuiltin(async () => JSON.parse(readFileSync(new URL('../../public/builtin/archive.json', import.meta.url), 'utf8')));
    const seed = 'https://www.youtube.com/watch?v=-VWLP6-06Jc';
    expect(await handleMessage({ type: 'navigated', url: seed }, tab(seed))).toEqual({ ok: true, value: null });
    await expect.poll(() => badges.get(7)).toBe('1');
    await handleMessage({ type: 'navigated', url: 'https://www.youtube.com/feed/subscriptions' }, tab(seed));
    await expect.poll(() => badges.get(7)).toBe('');
  });

  it('compares a long text a content script sent in pieces with an archived one, for that tab only', async () => {
    const youtube = (tab: number) => ({ id: 'archivelens-test', url: 'https://www.youtube.com/watch?v=x', tab: { id: tab } }) as never;
    const upload = crypto.randomUUID();
    const live = `${'甲'.repeat(150_000)} 新增 ${'乙'.repeat(150_000)}`;
    const parts = [live.slice(0, 100_000), live.slice(100_000, 200_000), live.slice(200_000)];
    for (const [index, part] of parts.entries()) {
      expect(await handleMessage({ type: 'textPart', upload, index, part, last: index === parts.length - 1 }, youtube(4))).toEqual({ ok: true, value: { stored: true } });
    }
    const archived = `${'甲'.repeat(150_000)} ${'乙'.repeat(150_000)}`;
    // Another tab cannot name it.
    expect(await handleMessage({ type: 'textChanges', pairs: [[archived, { upload }]] }, youtube(5))).toEqual({ ok: true, value: [null] });
    const answer = (await handleMessage({ type: 'textChanges', pairs: [[archived, { upload }], [live, { upload }]] }, youtube(4))) as { ok: true; value: ({ kind: string } | null)[] };
    expect(answer.value[0]).not.toBeNull();
    expect(answer.value[1]).toBeNull(); // the same text: nothing changed
  });
});
