import { describe, expect, it } from 'vitest';
import type { LookupResult } from '../shared/messages';
import { LookupCache } from './lookup-cache';

function counting() {
  const calls: string[] = [];
  const cache = new LookupCache(async (videoId): Promise<LookupResult> => {
    calls.push(videoId);
    return { videoId, archived: [], mentioned: [] };
  }, 2);
  return { cache, calls };
}

describe('the lookup cache', () => {
  it('shares one query between concurrent and repeated lookups of a video', async () => {
    const { cache, calls } = counting();
    await Promise.all([cache.get('a'), cache.get('a')]);
    await cache.get('a');
    expect(calls).toEqual(['a']);
  });

  it('forgets the least recently used video beyond its capacity, and everything on clear', async () => {
    const { cache, calls } = counting();
    await cache.get('a');
    await cache.get('b');
    await cache.get('a');
    await cache.get('c'); // evicts b
    await cache.get('a');
    await cache.get('b');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    cache.clear();
    await cache.get('a');
    expect(calls.at(-1)).toBe('a');
  });

  it('does not keep failed lookups', async () => {
    let fail = true;
    const cache = new LookupCache(async (videoId) => {
      if (fail) throw new Error('db closed');
      return { videoId, archived: [], mentioned: [] };
    });
    await expect(cache.get('a')).rejects.toThrow('db closed');
    fail = false;
    await expect(cache.get('a')).resolves.toMatchObject({ videoId: 'a' });
  });
});
