import { describe, expect, it } from 'vitest';
import { hash64, hash64Joined } from './hash';

describe('post ids', () => {
  it('hash joined parts as the joined string, without joining them', () => {
    const parts = ['yrA2g8OMb7o', '越南中越會安古城，小黎現場直播', '2024-12-01T13:58:04.000Z', '参加小黎粉丝团\n看到更精彩的内容 😀'];
    expect(hash64Joined(parts, '\u0000')).toBe(hash64(parts.join('\u0000')));
    expect(hash64Joined([], '\u0000')).toBe(hash64(''));
    expect(hash64Joined(['', ''], '--')).toBe(hash64('--'));
    // Pinned: a post's id is what ties its copies together across syncs and versions.
    expect(hash64('a\u0000b')).toBe(hash64Joined(['a', 'b'], '\u0000'));
    expect(hash64('')).toBe('811c9dc5050c5d1f');
  });
});
