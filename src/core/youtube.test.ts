import { describe, expect, it } from 'vitest';
import { isWatchPage, parseVideoUrl, videoIdFromUrl, videoIdsInText } from './youtube';

// Real URL shapes, from notes/youtube.md and links found in the archives.
const VALID: [string, string, string][] = [
  ['https://www.youtube.com/watch?v=-VWLP6-06Jc', '-VWLP6-06Jc', 'watch'],
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s', 'dQw4w9WgXcQ', 'watch'],
  ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG&index=3', 'dQw4w9WgXcQ', 'watch'],
  ['https://www.youtube.com/watch?app=desktop&v=GorsYGIeIK4&pp=ygUF', 'GorsYGIeIK4', 'watch'],
  ['https://m.youtube.com/watch?v=W3-13_eyVQ4', 'W3-13_eyVQ4', 'watch'],
  ['https://music.youtube.com/watch?v=W3-13_eyVQ4&feature=share', 'W3-13_eyVQ4', 'watch'],
  ['http://youtube.com/watch?v=W3-13_eyVQ4', 'W3-13_eyVQ4', 'watch'],
  ['www.youtube.com/watch?v=W3-13_eyVQ4', 'W3-13_eyVQ4', 'watch'],
  ['https://www.youtube.com/shorts/qSyeXbwth9Q', 'qSyeXbwth9Q', 'shorts'],
  ['https://youtube.com/shorts/qSyeXbwth9Q?feature=share', 'qSyeXbwth9Q', 'shorts'],
  ['https://www.youtube.com/live/7wZMI4KYeA4?si=abc', '7wZMI4KYeA4', 'live'],
  ['https://www.youtube.com/embed/TdNQX3fk8kk', 'TdNQX3fk8kk', 'embed'],
  ['https://www.youtube-nocookie.com/embed/l_7ft4f_qhE?rel=0', 'l_7ft4f_qhE', 'embed'],
  ['https://www.youtube.com/v/TdNQX3fk8kk', 'TdNQX3fk8kk', 'embed'],
  ['https://youtu.be/U1gdn_snih0', 'U1gdn_snih0', 'short-link'],
  ['https://youtu.be/U1gdn_snih0?t=10', 'U1gdn_snih0', 'short-link'],
  ['//www.youtube.com/embed/GmzFZMy60Ow', 'GmzFZMy60Ow', 'embed'],
];

const INVALID = [
  'https://www.youtube.com/watch?v=dQw4w9WgXc', // 10 chars
  'https://www.youtube.com/watch?v=dQw4w9WgXcQQ', // 12 chars
  'https://www.youtube.com/watch?v=dQw4w9WgX%cQ',
  'https://www.youtube.com/watch?v=dQw4w9WgX.Q',
  'https://www.youtube.com/watch',
  'https://www.youtube.com/clip/UgkxU2HSeGL_NvmDJ-nQJrlLwllwMDBdGZFs',
  'https://www.youtube.com/channel/UCGtvPQxpuRrXeryEWxQkAkA/join',
  'https://www.youtube.com/@someone',
  'https://www.youtube.com/playlist?list=PLx0sYbCqOb8TBPRdmBHs5Iftvv9TPboYG',
  'https://www.youtube.com/shorts/',
  'https://youtu.be/',
  'https://youtu.be/U1gdn_snih0/extra',
  'https://evil.example/watch?v=dQw4w9WgXcQ',
  'https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
  'javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ',
  'ftp://www.youtube.com/watch?v=dQw4w9WgXcQ',
  'https://matters.news/@someone/some-article',
  '',
  'not a url at all',
];

describe('video ids from URLs', () => {
  it.each(VALID)('%s → %s', (url, id, kind) => {
    expect(parseVideoUrl(url)).toEqual({ id, kind });
  });

  it.each(INVALID)('rejects %s', (url) => {
    expect(videoIdFromUrl(url)).toBeNull();
  });

  it('knows which pages get the side panel', () => {
    expect(isWatchPage('https://www.youtube.com/watch?v=-VWLP6-06Jc')).toBe(true);
    expect(isWatchPage('https://www.youtube.com/shorts/qSyeXbwth9Q')).toBe(false);
    expect(isWatchPage('https://www.youtube.com/')).toBe(false);
    expect(isWatchPage('https://www.youtube.com/results?search_query=x')).toBe(false);
  });
});

describe('video ids in archive text', () => {
  it('finds links glued to CJK text, embeds and HTML-escaped query strings, once each', () => {
    const text =
      '下集連結:https://youtu.be/U1gdn_snih0羅文老師 <iframe src="https://www.youtube.com/embed/TdNQX3fk8kk?rel=0"></iframe> ' +
      '<a href="https://www.youtube.com/watch?feature=share&amp;v=l_7ft4f_qhE">x</a> again https://youtu.be/U1gdn_snih0';
    expect(videoIdsInText(text)).toEqual(['U1gdn_snih0', 'TdNQX3fk8kk', 'l_7ft4f_qhE']);
  });

  it('ignores channel links and ids that run into Latin text', () => {
    expect(videoIdsInText('https://www.youtube.com/channel/UCGtvPQxpuRrXeryEWxQkAkA/join')).toEqual([]);
    expect(videoIdsInText('https://youtu.be/U1gdn_snih0Twitter')).toEqual([]);
  });
});

describe('the shortcut for common links', () => {
  it('reads every link of the society archive as the URL parser does', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { extractedSociety, listFiles } = await import('../../test/support/archives');
    const root = extractedSociety();
    const links = new Set<string>();
    const LINK = /https?:\/\/[^\s"'<>)\]]+/g;
    for (const path of listFiles(root).filter((f) => f.endsWith('.md'))) {
      for (const [link] of readFileSync(join(root, path), 'utf8').matchAll(LINK)) if (/youtu/.test(link)) links.add(link.replace(/&amp;/g, '&'));
    }
    expect(links.size).toBeGreaterThan(10_000);
    const odd = ['https://www.youtube.com/watch?v=abcdefghijk&t=5', 'https://youtu.be/abcdefghijk?t=5', 'https://youtu.be/abcdefghijkl', 'https://www.youtube.com/watch?v=abcdefghij', 'https://youtube.com/watch?v=abcdefghijk#x', 'http://m.youtube.com/watch?v=abcdefghijk%20'];
    for (const link of [...links, ...odd]) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(link);
      } catch {
        continue;
      }
      // A URL object always takes the parser's path.
      expect(parseVideoUrl(link), link).toEqual(parseVideoUrl(parsed));
    }
  });
});
