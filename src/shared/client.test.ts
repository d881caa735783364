import { afterEach, describe, expect, it, vi } from 'vitest';
import { ask, BackgroundError, RETRY_DELAYS_MS } from './client';
import { resetFakeBrowser, sentMessages, setResponder } from '../../test/support/fake-browser';

const UNDELIVERED = 'Could not establish connection. Receiving end does not exist.';
const stats = { posts: 1, videos: 1, channels: 1, sources: [], importing: false };

describe('ask', () => {
  afterEach(() => vi.useRealTimers());

  it('sends the request again when it found no background, as while an idle background page restarts', async () => {
    resetFakeBrowser();
    let refusals = 2;
    setResponder(() => {
      if (refusals-- > 0) throw new Error(UNDELIVERED);
      return { ok: true, value: stats };
    });
    await expect(ask('stats', {})).resolves.toEqual(stats);
    expect(sentMessages).toHaveLength(3);
  });

  it('gives up after a second of tries, with the browser\'s own error', async () => {
    resetFakeBrowser();
    vi.useFakeTimers();
    setResponder(() => {
      throw new Error(UNDELIVERED);
    });
    const answer = ask('stats', {}).catch((error: unknown) => error);
    await vi.runAllTimersAsync();
    expect(((await answer) as Error).message).toBe(UNDELIVERED);
    expect(sentMessages).toHaveLength(RETRY_DELAYS_MS.length + 1);
  });

  it('never repeats a request the background received, even when it failed', async () => {
    resetFakeBrowser();
    setResponder(() => ({ ok: false, error: 'Not allowed' }));
    await expect(ask('stats', {})).rejects.toBeInstanceOf(BackgroundError);
    setResponder(() => {
      throw new Error('Extension context invalidated.');
    });
    await expect(ask('stats', {})).rejects.toThrow('Extension context invalidated.');
    expect(sentMessages).toHaveLength(2);
  });
});
