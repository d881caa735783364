// Work that can wait runs once readers have stopped asking for a moment.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { askedSinceNow, QUIET_MS, readerAsked, readersQuiet, readerWaiting } from './readers';

describe('readers quiet', () => {
  beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] }));
  afterEach(() => void vi.useRealTimers());

  it('waits until no request has come in for a moment, longer when another comes in meanwhile', async () => {
    let done = false;
    readerAsked();
    const quiet = readersQuiet().then(() => (done = true));
    await vi.advanceTimersByTimeAsync(QUIET_MS - 100);
    expect(done).toBe(false);
    readerAsked();
    await vi.advanceTimersByTimeAsync(QUIET_MS - 50);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    await quiet;
    expect(done).toBe(true);
    // Quiet already: at once.
    await vi.advanceTimersByTimeAsync(1);
    await expect(readersQuiet()).resolves.toBeUndefined();
  });

  it('gives up when the caller says stop while it waits', async () => {
    readerAsked();
    let stop = false;
    const quiet = readersQuiet(() => {
      if (stop) throw new Error('a sync started');
    });
    const settled = expect(quiet).rejects.toThrow('a sync started');
    stop = true;
    readerAsked();
    await vi.advanceTimersByTimeAsync(QUIET_MS);
    await settled;
  });

  it('says a reader is waiting for a moment after each request', async () => {
    readerAsked();
    expect(readerWaiting()).toBe(true);
    await vi.advanceTimersByTimeAsync(QUIET_MS - 10);
    expect(readerWaiting()).toBe(true);
    await vi.advanceTimersByTimeAsync(20);
    expect(readerWaiting()).toBe(false);
  });

  it('says whether a request of a type came in since a request started some work, however soon or late', async () => {
    readerAsked('stats');
    const asked = askedSinceNow('search');
    expect(asked()).toBe(false);
    readerAsked('lookup');
    await vi.advanceTimersByTimeAsync(QUIET_MS * 3);
    expect(asked()).toBe(false);
    readerAsked('search');
    expect(asked()).toBe(true);
    await vi.advanceTimersByTimeAsync(QUIET_MS * 3);
    expect(asked()).toBe(true);
  });
});
