import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { derivedVideoId } from '../../test/support/git-archive-repo';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { Membership } from './membership';
import { parsePost } from './post';

function societyVideoIds(): string[] {
  const root = extractedSociety();
  const ids = listFiles(root).flatMap((path) => {
    const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
    return r.ok && r.post.videoId ? [r.post.videoId] : [];
  });
  return [...new Set(ids)];
}

describe('the set of archived videos handed to YouTube tabs', () => {
  it('holds every archived video of society ×8, says "no" to nearly all others, and survives the message channel', () => {
    const ids = societyVideoIds();
    expect(ids.length).toBeGreaterThan(10_000);
    const archived = Array.from({ length: 8 }, (_, k) => (k === 0 ? ids : ids.map((id) => derivedVideoId(id, k)))).flat();
    const built = Membership.build(archived, archived.length);
    const data = built.toData();
    // ≈16 bits a video, as base64.
    expect(data.data.length).toBeLessThan((archived.length * 16 / 8) * 1.4);
    const set = Membership.from(JSON.parse(JSON.stringify(data)));
    expect(archived.every((id) => set.mayHold(id))).toBe(true);
    const others = ids.map((id) => derivedVideoId(id, 9));
    const falsePositives = others.filter((id) => set.mayHold(id)).length;
    expect(falsePositives / others.length).toBeLessThan(0.002);
  });

  it('holds nothing when empty, and refuses data of the wrong size', () => {
    const empty = Membership.build([], 0);
    expect(empty.mayHold('-VWLP6-06Jc')).toBe(false);
    expect(() => Membership.from({ bits: 2048, data: empty.toData().data })).toThrow();
  });
});
