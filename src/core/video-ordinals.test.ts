import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivedVideoId } from '../../test/support/git-archive-repo';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { parsePost } from './post';
import { VideoOrdinals } from './video-ordinals';

/** Society's posts' videos in file order ('' for a post without one), as an index keeps them by ordinal. */
function societyVideos(): string[] {
  const root = extractedSociety();
  return listFiles(root).flatMap((path) => {
    const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
    return r.ok ? [r.post.videoId ?? ''] : [];
  });
}

function bytesOf(videos: readonly string[]): Uint8Array {
  const bytes = new Uint8Array(videos.length * 11);
  videos.forEach((id, ordinal) => {
    if (id.length === 11) for (let k = 0; k < 11; k++) bytes[ordinal * 11 + k] = id.charCodeAt(k);
  });
  return bytes;
}

describe('which posts of an index archive a video', () => {
  it('finds every post of every video of society ×4, and none of other videos', () => {
    const one = societyVideos();
    const videos = [0, 1, 2, 3].flatMap((k) => one.map((id) => (id && k ? derivedVideoId(id, k) : id)));
    const table = VideoOrdinals.build(bytesOf(videos), videos.length);
    const expected = new Map<string, number[]>();
    videos.forEach((id, ordinal) => id && expected.set(id, [...(expected.get(id) ?? []), ordinal]));
    expect(expected.size).toBeGreaterThan(40_000);
    for (const [id, ordinals] of expected) expect(table.ordinalsOf(id)).toEqual(ordinals);
    for (const id of one.slice(0, 2000).filter(Boolean)) expect(table.ordinalsOf(derivedVideoId(id, 9))).toEqual([]);
  });

  it('finds each of several posts of one video, skips posts without one, and refuses ids of the wrong length', () => {
    const videos = ['GorsYGIeIK4', '', 'dQw4w9WgXcQ', 'GorsYGIeIK4', '', 'GorsYGIeIK4'];
    const table = VideoOrdinals.build(bytesOf(videos), videos.length);
    expect(table.ordinalsOf('GorsYGIeIK4')).toEqual([0, 3, 5]);
    expect(table.ordinalsOf('dQw4w9WgXcQ')).toEqual([2]);
    expect(table.ordinalsOf('GorsYGIeIK')).toEqual([]);
    expect(table.ordinalsOf('')).toEqual([]);
    expect(table.ordinalsOf('GorsYGIeIK4x')).toEqual([]);
  });
});
