import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { descriptionPieces, watchAt } from './description';
import { parsePost } from './post';

describe('the pieces of an archived description', () => {
  it('finds a chapter list run together, as archives store it', () => {
    const pieces = descriptionPieces('走访了一圈。0:00 开头1:17 文化广场周边3:28 接地气的明珠商城1:02:03 结尾');
    expect(pieces.filter((p) => p.kind === 'time')).toEqual([
      { kind: 'time', text: '0:00', seconds: 0 },
      { kind: 'time', text: '1:17', seconds: 77 },
      { kind: 'time', text: '3:28', seconds: 208 },
      { kind: 'time', text: '1:02:03', seconds: 3723 },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe('走访了一圈。0:00 开头1:17 文化广场周边3:28 接地气的明珠商城1:02:03 结尾');
    // The same again: nothing is carried over from one description to the next.
    expect(descriptionPieces('0:00 开头1:17').filter((p) => p.kind === 'time')).toHaveLength(2);
  });

  it('takes links up to the first character a URL cannot hold, and hashtags up to the next one', () => {
    const pieces = descriptionPieces('Video Credits:https://m.youtube.com/watch?v=RNHAISIQpuU郭杰瑞 (see https://example.org/a.) #上海疫情严重#上海 #中國 x#no &#35;');
    expect(pieces.filter((p) => p.kind === 'link').map((p) => p.text)).toEqual(['https://m.youtube.com/watch?v=RNHAISIQpuU', 'https://example.org/a']);
    expect(pieces.filter((p) => p.kind === 'hashtag').map((p) => (p as { tag: string }).tag)).toEqual(['上海疫情严重', '上海', '中國']);
  });

  it('keeps what is no time as text: dates, clock-like numbers, impossible seconds', () => {
    for (const text of ['2024:05:06', '1:75', '10:30:00:12', '12:345', '1:60:00']) {
      expect(descriptionPieces(text).filter((p) => p.kind === 'time'), text).toEqual([]);
    }
  });

  it('never loses or reorders text, on every society post', () => {
    const root = extractedSociety();
    let times = 0, links = 0, tags = 0;
    for (const path of listFiles(root)) {
      const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
      if (!r.ok) continue;
      const pieces = descriptionPieces(r.post.summary);
      expect(pieces.map((p) => p.text).join('')).toBe(r.post.summary);
      for (const p of pieces) {
        if (p.kind === 'link') links++;
        if (p.kind === 'time') times++;
        if (p.kind === 'hashtag') tags++;
        if (p.kind === 'link') expect(p.url).toMatch(/^https?:\/\//);
      }
    }
    expect(links).toBeGreaterThan(20_000);
    expect(tags).toBeGreaterThan(10_000);
    expect(times).toBeGreaterThan(500);
  });

  it('links a time to the video at that second', () => {
    expect(watchAt('-VWLP6-06Jc', 77)).toBe('https://www.youtube.com/watch?v=-VWLP6-06Jc&t=77s');
  });
});
