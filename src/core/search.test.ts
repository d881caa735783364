import { describe, expect, it } from 'vitest';
import { seedText } from '../../test/support/archives';
import { foldForSearch, isLetterUnit } from './fold';
import { parsePost, type Post } from './post';
import { excerpt, highlightRanges } from './highlight';
import { byRelevance, parseQuery, scorePost } from './search';

const seed = (() => {
  const r = parsePost(seedText(), 'archived/2025-02-02/2025-02-02-seed.md');
  if (!r.ok) throw new Error(r.error.message);
  return r.post;
})();
const post = (fields: Partial<Post>): Post => ({ ...seed, ...fields });

describe('one form for both Chinese scripts', () => {
  it('folds Traditional to Simplified, full width to half, upper to lower case', () => {
    expect(foldForSearch('秦剛究竟')).toBe(foldForSearch('秦刚究竟'));
    expect(foldForSearch('桃園選舉')).toBe('桃园选举');
    expect(foldForSearch('臺灣 ＯＰＥＮＡＩ')).toBe('台湾 openai');
  });
});

describe('the search box', () => {
  it('finds a title in the other script', () => {
    // The seed's title is written in Traditional Chinese: 圍繞深度求索橫空出世…
    expect(scorePost(seed, parseQuery('围绕深度求索'))).not.toBeNull();
    expect(scorePost(seed, parseQuery('圍繞深度求索'))).not.toBeNull();
    expect(scorePost(seed, parseQuery('围绕深度求索 不存在的词'))).toBeNull();
  });

  it('reads filters, dates, ranges and phrases', () => {
    const q = parseQuery('channel:老楊到處說 tag:"老杨到处说" 2025-02 "深度 求索" openai');
    expect(q.channels).toEqual(['老杨到处说']);
    expect(q.tags).toEqual(['老杨到处说']);
    expect([q.from, q.to]).toEqual([Date.UTC(2025, 1, 1), Date.UTC(2025, 2, 1)]);
    expect(q.terms).toEqual(['深度 求索', 'openai']);
    const range = parseQuery('2024-05-01..2024-06-30');
    expect([range.from, range.to]).toEqual([Date.UTC(2024, 4, 1), Date.UTC(2024, 6, 1)]);
    expect(parseQuery('「深度求索」 2024').terms).toEqual(['深度求索', '2024']);
    expect(parseQuery('https://youtu.be/-VWLP6-06Jc').videoId).toBe('-VWLP6-06Jc');
  });

  it('applies channel, tag and date filters', () => {
    expect(scorePost(seed, parseQuery('channel:老杨'))).not.toBeNull();
    expect(scorePost(seed, parseQuery('channel:罗宾'))).toBeNull();
    expect(scorePost(seed, parseQuery('2025-02-02 深度求索'))).not.toBeNull();
    expect(scorePost(seed, parseQuery('2024-01..2024-12 深度求索'))).toBeNull();
  });

  it('ranks title matches before text matches, then newer before older', () => {
    const q = parseQuery('深度求索');
    const inTitle = post({ title: '深度求索', summary: '', time: 1 });
    const inText = post({ title: 'x', summary: '關於深度求索', time: 3 });
    const newerInTitle = post({ title: '深度求索 2', summary: '', time: 2 });
    const ranked = [inText, inTitle, newerInTitle]
      .map((p) => ({ p, score: scorePost(p, q)!, time: p.time }))
      .sort(byRelevance)
      .map((r) => r.p);
    expect(ranked).toEqual([newerInTitle, inTitle, inText]);
  });

  it('highlights matches where they are written, in either script', () => {
    const title = '圍繞深度求索橫空出世';
    expect(highlightRanges(title, parseQuery('深度求索').terms)).toEqual([[2, 6]]);
    expect(highlightRanges(title, parseQuery('横空').terms)).toEqual([[6, 8]]);
    expect(highlightRanges('ＯｐｅｎＡＩ said', ['openai'])).toEqual([[0, 6]]);
    const cut = excerpt(`${'前'.repeat(200)}深度求索${'後'.repeat(200)}`, ['深度求索'], 10);
    expect(cut.text).toBe(`…${'前'.repeat(10)}深度求索${'後'.repeat(10)}…`);
    expect(cut.ranges).toEqual([[11, 15]]);
  });
});

describe('letters of the Basic Multilingual Plane', () => {
  it('are the units the letter pattern says, each one', () => {
    const letter = /[\p{L}\p{N}]/u;
    const differ: number[] = [];
    for (let code = 0; code < 0x10000; code++) if (isLetterUnit(code) !== letter.test(String.fromCharCode(code))) differ.push(code);
    expect(differ).toEqual([]);
    expect([isLetterUnit(0x4e2d), isLetterUnit(0x3002), isLetterUnit(0xd83d), isLetterUnit(0x61)]).toEqual([true, false, false, true]);
  });
});
