// On the whole society archive: each channel's boilerplate, every era's,
// found from up to 600 posts spread over its history (as db/boilerplate.ts
// reads them), and what folding it leaves of its posts.
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
/** Up to 600 posts spread evenly over the channel's history, newest first. */
const spread = (posts: Post[]) => {
  const sorted = [...posts].sort((a, b) => b.date.localeCompare(a.date));
  return sorted.length <= 600 ? sorted : Array.from({ length: 600 }, (_, i) => sorted[Math.floor((i * sorted.length) / 600)]!);
};
/** Whether a post still opens with text that opens many of the channel's posts once folded. */
const visibleOpening = (text: string) => text.replace(/\s+/g, ' ').trimStart().slice(0, 40);

describe("a channel's boilerplate", () => {
  it('is found for the large channels of society, every era of it, and folding it loses nothing', () => {
    const channels = [...byChannel].sort((a, b) => b[1].length - a[1].length).slice(0, 12);
    let withBoilerplate = 0;
    for (const [channel, posts] of channels) {
      const boilerplate = findBoilerplate(spread(posts).map((p) => p.summary));
      if (process.env.SHOW_BOILERPLATE) console.log(channel, posts.length, boilerplate.headers.map((h) => h.slice(0, 40)), boilerplate.footers.map((f) => f.slice(-40)));
      for (const post of posts) {
        const parts = foldBoilerplate(post.summary, boilerplate);
        expect(parts.header + parts.main + parts.footer, channel).toBe(post.summary);
        if (post.summary.trim()) expect(parts.main.trim().length, channel).toBeGreaterThan(0);
      }
      if (boilerplate.headers.length + boilerplate.footers.length > 0) withBoilerplate++;
    }
    expect(withBoilerplate).toBeGreaterThanOrEqual(9);
  });

  it("folds every era's opening, not only the newest one's", () => {
    // 无修饰的中国 changed its appeal over the years: a third of its posts opened with an older one,
    // which the newest posts alone never showed (scripts/boilerplate-shares.ts: 33 % → 0 % of its posts open with usual text).
    const posts = byChannel.get('无修饰的中国')!;
    const newestOnly = findBoilerplate(newest(posts).map((p) => p.summary));
    const newestEra = { headers: newestOnly.headers.slice(0, 1), footers: [] };
    const everyEra = findBoilerplate(spread(posts).map((p) => p.summary));
    const olderEras = posts.filter((p) => foldBoilerplate(p.summary, everyEra).header && !foldBoilerplate(p.summary, newestEra).header);
    expect(olderEras.length / posts.length).toBeGreaterThan(0.2);
    // Older than the newest 200: folded now, and their own words come first.
    const oldest = olderEras.sort((a, b) => a.date.localeCompare(b.date))[0]!;
    expect(oldest.date < newest(posts).at(-1)!.date).toBe(true);
    const parts = foldBoilerplate(oldest.summary, everyEra);
    expect(visibleOpening(parts.main)).not.toBe(visibleOpening(oldest.summary));
  });

  it("folds 小叔TV's appeal for coffee money and keeps the video's chapters first", () => {
    const posts = byChannel.get('小叔TV')!;
    const boilerplate = findBoilerplate(newest(posts).map((p) => p.summary));
    expect(boilerplate.footers.some((f) => f.includes('赏我杯咖啡'))).toBe(true);
    const post = posts.find((p) => p.summary.includes('0:00 开头1:12 蛋岛谈清迈'))!;
    const parts = foldBoilerplate(post.summary, boilerplate);
    expect(parts.main).toContain('16:08 我的总结和排名');
    expect(parts.main).not.toContain('赏我杯咖啡');
    expect(parts.footer).toMatch(/^赏我杯咖啡/);
  });

  it('finds a closing with emoji, surrogate pairs and all, as it is written', () => {
    const footer = ' 喜欢请订阅频道 😀👍🏻🇨🇳 Thanks for watching, and share it with your friends!';
    const descriptions = Array.from({ length: 40 }, (_, i) => `第${i}集：今天讲的是${'一二三四五六七八九十'.slice(i % 10)}的故事 ${i * 7919}${footer}`);
    const { footers } = findBoilerplate(descriptions);
    expect(footers[0]).toBe(footer);
    expect(foldBoilerplate(descriptions[3]!, { headers: [], footers }).main).toBe(descriptions[3]!.slice(0, -footer.length));
  });

  it('finds nothing for a channel of a few posts or of different texts', () => {
    expect(findBoilerplate(['a'.repeat(40), 'a'.repeat(40)])).toEqual({ headers: [], footers: [] });
    const distinct = Array.from({ length: 20 }, (_, i) => `${i} ${'不同的文字'.repeat(i + 3)} ${i * 7919}`);
    expect(findBoilerplate(distinct)).toEqual({ headers: [], footers: [] });
  });
});

describe('an archive that holds one long post many times', () => {
  it('finds the appeal the copies share without taking the whole post for it, and only the ends of long posts are read', () => {
    const appeal = '请订阅本频道，打开小铃铛，支持我们继续制作节目。';
    const body = '这是一段很长的正文，'.repeat(6000); // 60,000 characters, the same in every copy
    const posts = [...Array.from({ length: 40 }, () => appeal + body), ...Array.from({ length: 560 }, (_, i) => `${appeal}第${i}期：${'不同的内容'.repeat(i % 7 + 5)}`)];
    const { headers, footers } = findBoilerplate(posts);
    expect(headers).toContain(appeal);
    for (const text of [...headers, ...footers]) expect(text.length).toBeLessThanOrEqual(4000);
    // Folding keeps what is not the appeal: a copy's text is never all boilerplate.
    expect(foldBoilerplate(posts[0]!, { headers, footers }).main.length).toBeGreaterThan(50_000);
  });
});
