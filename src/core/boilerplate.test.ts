// On the whole society archive: each channel's boilerplate, found from its
// newest 200 posts, and what folding it leaves of its posts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { findBoilerplate, foldBoilerplate } from './boilerplate';
import { parsePost, type Post } from './post';

let byChannel: Map<string, Post[]>;
beforeAll(() => {
  const root = extractedSociety();
  byChannel = new Map();
  for (const path of listFiles(root).filter((f) => f.endsWith('.md'))) {
    const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
    if (!r.ok) continue;
    const list = byChannel.get(r.post.channel) ?? [];
    list.push(r.post);
    byChannel.set(r.post.channel, list);
  }
});

const newest = (posts: Post[]) => [...posts].sort((a, b) => b.date.localeCompare(a.date)).slice(0, 200);

describe("a channel's boilerplate", () => {
  it('is found for the large channels of society, and folding it loses nothing', () => {
    const channels = [...byChannel].sort((a, b) => b[1].length - a[1].length).slice(0, 12);
    let withBoilerplate = 0;
    for (const [channel, posts] of channels) {
      const sample = newest(posts);
      const boilerplate = findBoilerplate(sample.map((p) => p.summary));
      if (process.env.SHOW_BOILERPLATE) console.log(channel, posts.length, JSON.stringify(boilerplate.header.slice(0, 60)), '…', JSON.stringify(boilerplate.footer.slice(-80)), boilerplate.footer.length);
      for (const post of posts) {
        const parts = foldBoilerplate(post.summary, boilerplate);
        expect(parts.header + parts.main + parts.footer, channel).toBe(post.summary);
        if (post.summary.trim()) expect(parts.main.trim().length, channel).toBeGreaterThan(0);
      }
      if (!boilerplate.header && !boilerplate.footer) continue;
      withBoilerplate++;
      // At least the share it was found in, among the posts it was found from
      // (older posts often carry an older footer, and keep it; a post that is
      // nothing but the boilerplate keeps it as its text).
      const folded = sample.filter((p) => {
        const text = p.summary.trim();
        return (boilerplate.header && text.startsWith(boilerplate.header)) || (boilerplate.footer && text.endsWith(boilerplate.footer));
      }).length;
      expect(folded / sample.length, channel).toBeGreaterThanOrEqual(0.3);
    }
    // 7 of the 12 largest: the others carry no text shared by 30 % of their newest posts.
    expect(withBoilerplate).toBeGreaterThanOrEqual(7);
  });

  it("folds 小叔TV's appeal for coffee money and keeps the video's chapters first", () => {
    const posts = byChannel.get('小叔TV')!;
    const boilerplate = findBoilerplate(newest(posts).map((p) => p.summary));
    expect(boilerplate.footer).toContain('赏我杯咖啡');
    const post = posts.find((p) => p.summary.includes('0:00 开头1:12 蛋岛谈清迈'))!;
    const parts = foldBoilerplate(post.summary, boilerplate);
    expect(parts.main).toContain('16:08 我的总结和排名');
    expect(parts.main).not.toContain('赏我杯咖啡');
    expect(parts.footer).toMatch(/^赏我杯咖啡/);
  });

  it('finds nothing for a channel of a few posts or of different texts', () => {
    expect(findBoilerplate(['a'.repeat(40), 'a'.repeat(40)])).toEqual({ header: '', footer: '' });
    const distinct = Array.from({ length: 20 }, (_, i) => `${i} ${'不同的文字'.repeat(i + 3)} ${i * 7919}`);
    expect(findBoilerplate(distinct)).toEqual({ header: '', footer: '' });
  });
});
