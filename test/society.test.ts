// The whole NodeBE4/society archive parses. Expected numbers come from the
// raw files (extracted by the system's tar), not from our parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePost, type Post } from '../src/core/post';
import { mergeTwins } from '../src/core/twins';
import { extractedSociety, listFiles } from './support/archives';

describe('the NodeBE4/society archive', () => {
  const root = extractedSociety();
  const files = listFiles(root).filter((f) => /\.md$/.test(f));
  const raw = files.map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
  const results = raw.map((f) => parsePost(f.text, f.path));
  const posts = results.flatMap((r) => (r.ok ? [r.post] : []));

  it('parses every post', () => {
    expect(files.length).toBeGreaterThan(15_000);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });

  it('finds the video of every post, as its `from:` line says', () => {
    const byPath = new Map(posts.map((p) => [p.path, p]));
    for (const f of raw) {
      const from = /^from: .*[?&]v=([\w-]{11})\s*$/m.exec(f.text)?.[1];
      expect(byPath.get(f.path)?.videoId, f.path).toBe(from);
    }
  });

  it('finds every video that has several posts', () => {
    const filesPerVideo = new Map<string, number>();
    for (const f of raw) {
      const id = /^from: .*[?&]v=([\w-]{11})/m.exec(f.text)![1]!;
      filesPerVideo.set(id, (filesPerVideo.get(id) ?? 0) + 1);
    }
    const postsPerVideo = new Map<string, Post[]>();
    for (const p of posts) postsPerVideo.set(p.videoId!, [...(postsPerVideo.get(p.videoId!) ?? []), p]);
    const expected = [...filesPerVideo].filter(([, n]) => n > 1).map(([id]) => id).sort();
    const found = [...postsPerVideo].filter(([, ps]) => ps.length > 1).map(([id]) => id).sort();
    expect(found).toEqual(expected);
  });

  it('merges stale twins (same title, date and text) and keeps every other version', () => {
    const merged = mergeTwins(posts);
    const key = (text: string) => {
      const fm = text.slice(0, text.indexOf('\n---', 4));
      const body = text.slice(text.indexOf('\n---', 4) + 4).replace(/^\s*<!--\d+-->/, '');
      return [/^title: (.*)$/m.exec(fm)?.[1], /^date: (.*)$/m.exec(fm)?.[1], /^from: (.*)$/m.exec(fm)?.[1], body.trim()].join('\n');
    };
    const distinctRaw = new Set(raw.map((f) => key(f.text)));
    expect(merged.length).toBe(distinctRaw.size);
    const twins = merged.filter((p) => p.paths.length > 1);
    expect(twins.length).toBeGreaterThan(0);
    for (const t of twins) expect(t.path.startsWith('_posts/')).toBe(false);
  });

  it('takes every channel from the site name in tags', () => {
    for (const f of raw) {
      const tag = /^tags: \[\s*(.*?)\s*\]/m.exec(f.text)?.[1];
      const post = posts.find((p) => p.path === f.path)!;
      if (tag) expect(post.channel).toBe(tag);
    }
  });
});
