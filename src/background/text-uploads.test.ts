// Long texts a page sends in pieces: kept per sender, in order, bounded, read once.
import { describe, expect, it } from 'vitest';
import { TextUploads } from './text-uploads';

const ID = '0b6f1e2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER = '1b6f1e2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('texts sent in pieces', () => {
  it('are joined in order once the last piece is in, for their sender only, and read once', () => {
    const uploads = new TextUploads();
    expect(uploads.put('tab:1:0', ID, 0, 'ab', false)).toBe(true);
    expect(uploads.take('tab:1:0', ID)).toBeNull(); // not complete yet
    expect(uploads.put('tab:1:0', ID, 1, 'cd', true)).toBe(true);
    expect(uploads.take('tab:2:0', ID)).toBeNull();
    expect(uploads.take('tab:1:0', ID)).toBe('abcd');
    expect(uploads.take('tab:1:0', ID)).toBeNull();
  });

  it('refuse pieces out of order, after the last, with a made-up id, or past a post’s size', () => {
    const uploads = new TextUploads();
    expect(uploads.put('tab:1:0', 'not-an-id', 0, 'x', true)).toBe(false);
    expect(uploads.put('tab:1:0', ID, 1, 'x', true)).toBe(false);
    expect(uploads.put('tab:1:0', ID, 0, 'x', true)).toBe(true);
    expect(uploads.put('tab:1:0', ID, 1, 'y', true)).toBe(false);
    expect(uploads.take('tab:1:0', ID)).toBeNull(); // a refused piece drops the upload
    expect(uploads.put('tab:1:0', OTHER, 0, 'x'.repeat(1_500_000), false)).toBe(true);
    expect(uploads.put('tab:1:0', OTHER, 1, 'x'.repeat(600_000), true)).toBe(false);
  });

  it('are forgotten after a minute, and a sender keeps a few at most', () => {
    let now = 0;
    const uploads = new TextUploads(() => now);
    uploads.put('tab:1:0', ID, 0, 'old', true);
    now = 61_000;
    expect(uploads.take('tab:1:0', ID)).toBeNull();
    const ids = Array.from({ length: 5 }, (_, i) => `${i}b6f1e2a-1c2d-4e5f-8a9b-0c1d2e3f4a5b`);
    for (const id of ids) uploads.put('tab:1:0', id, 0, id, true);
    expect(uploads.take('tab:1:0', ids[0]!)).toBeNull();
    expect(uploads.take('tab:1:0', ids[4]!)).toBe(ids[4]);
  });
});
