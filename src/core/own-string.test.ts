// A parsed post keeps none of its file's text alive (own-string.ts): measured
// on the heap, with the garbage collector run by hand.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { seedText } from '../../test/support/archives';
import { ownString } from './own-string';
import { parsePost, type Post } from './post';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('ownString', () => {
  it('is the same text', () => {
    for (const text of ['', 'a', '羅賓'.repeat(6), 'x'.repeat(13), `${'长'.repeat(5000)}\n`]) expect(ownString(text)).toBe(text);
  });

  it('lets go of the text a long substring was cut from', () => {
    const heldBy = (keep: (cut: string) => string) => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept: string[] = [];
      // Each a fresh string of 1 MB (not one the engine shares), cut from.
      for (let i = 0; i < 20; i++) kept.push(keep(Array.from({ length: 40_000 }, (_, k) => `line ${i} ${k}`).join('\n').slice(1_000, 1_100)));
      gc();
      const held = process.memoryUsage().heapUsed - before;
      expect(kept.join('').length).toBe(2_000);
      return held;
    };
    // A slice alone keeps its text: 20 MB or so.
    expect(heldBy((cut) => cut)).toBeGreaterThan(10 << 20);
    expect(heldBy(ownString)).toBeLessThan(1 << 20);
  });
});

describe('a parsed post', () => {
  it("keeps none of its file's text alive: not the front matter it was read from, nor the body its summary came from", () => {
    // The seed post with 200,000 characters of front matter nothing keeps.
    const padded = (i: number) => seedText().replace('---\n', `---\nnotes: "${`${i} `.repeat(100_000 / String(i).length)}"\n`);
    gc();
    const before = process.memoryUsage().heapUsed;
    const posts: Post[] = [];
    for (let i = 0; i < 20; i++) {
      const read = parsePost(padded(i), `_posts/2024-01-0${(i % 9) + 1}-seed.md`);
      if (!read.ok) throw new Error(read.error.message);
      // As a sync keeps it (sync/github-sync.ts, engine/engine.ts): its HTML is let go.
      posts.push({ ...read.post, bodyHtml: '' });
    }
    gc();
    const held = process.memoryUsage().heapUsed - before;
    const kept = posts.reduce((n, p) => n + 2 * (p.summary.length + p.title.length + p.sourceUrl.length), 0);
    // 20 files of 200,000 characters or more (4 MB as UTF-16 at least, 8 MB of the notes' text
    // in two bytes a character when the post holds Chinese): what the posts hold is far less.
    expect(held).toBeLessThan(kept + (2 << 20));
  });
});
