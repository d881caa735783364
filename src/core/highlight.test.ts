// Highlighting against the plain way it was first written (every character
// folded with NFKC on its own, the whole text every time), on the society
// archive's real titles and texts: the shortcuts for common characters and
// the excerpt that stops after its first match must mark the same places.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { findTerm, foldForSearch } from './fold';
import { excerpt, highlightRanges, type Range } from './highlight';
import { parsePost, type Post } from './post';
import { parseQuery } from './search';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

function plainRanges(text: string, terms: readonly string[]): Range[] {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    const width = text.codePointAt(i)! > 0xffff ? 2 : 1;
    let piece = foldForSearch(text.slice(i, i + width));
    if (/^\s+$/.test(piece)) piece = ' ';
    for (let k = 0; k < piece.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    folded += piece;
    i += width;
  }
  const ranges: Range[] = [];
  for (const term of terms) {
    for (let at = findTerm(folded, term); at >= 0; at = findTerm(folded, term, at + term.length)) ranges.push([starts[at]!, ends[at + term.length - 1]!]);
  }
  const out: Range[] = [];
  for (const r of ranges.sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function plainExcerpt(text: string, terms: readonly string[], radius = 60): { text: string; ranges: Range[] } {
  const flat = text.slice(0, 20_000).replace(/\s+/g, ' ').trim();
  const all = plainRanges(flat, terms);
  const first = all[0];
  if (!first) return { text: flat.length > radius * 2 ? `${flat.slice(0, radius * 2)}…` : flat, ranges: [] };
  const start = Math.max(0, first[0] - radius);
  const end = Math.min(flat.length, first[1] + radius);
  const lead = start > 0 ? '…' : '';
  const ranges = all.filter(([a, b]) => a >= start && b <= end).map(([a, b]): Range => [a - start + lead.length, b - start + lead.length]);
  return { text: `${lead}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`, ranges };
}

let posts: Post[];

beforeAll(() => {
  const root = extractedSociety();
  // Every 20th post, and every post with a long text (where the excerpt stops early).
  posts = listFiles(root)
    .filter((f) => f.endsWith('.md'))
    .flatMap((path, i) => {
      const result = parsePost(readFileSync(join(root, path), 'utf8'), path);
      return result.ok && (i % 20 === 0 || result.post.summary.length > 1500) ? [result.post] : [];
    });
});

describe('highlighting', () => {
  it('marks what the plain fold marks, in titles and in excerpts of long texts, on society', () => {
    let deep = 0;
    for (const [i, post] of posts.entries()) {
      const summary = post.summary;
      // A piece of the title in the other script, a piece from far into the text, a common character, a Latin word.
      const titleAt = i % Math.max(1, post.title.length - 3);
      const textAt = summary.length > 1500 ? 1024 + (i % 400) : Math.floor(summary.length / 2);
      if (textAt > 1024) deep++;
      const pieces = [toTraditional(post.title.slice(titleAt, titleAt + 3)), summary.slice(textAt, textAt + 2 + (i % 3)), '的', 'the', 'YouTube'];
      for (const piece of pieces) {
        const terms = parseQuery(`"${piece.replaceAll('"', '')}"`).terms;
        expect(highlightRanges(post.title, terms), `${post.path}: ${piece}`).toEqual(plainRanges(post.title, terms));
        expect(excerpt(summary, terms), `${post.path}: ${piece}`).toEqual(plainExcerpt(summary, terms));
      }
    }
    // The sample reaches past the first piece the excerpt folds.
    expect(deep).toBeGreaterThan(20);
  });

  it('folds what NFKC changes, surrogate pairs and cases as a match is read', () => {
    const text = 'ＯｐｅｎＡＩ ﬁnds 𠀀𠀁 Über ㈱ 臺灣 and\tTabs';
    for (const query of ['openai', 'fi', '𠀀𠀁', 'über', '(株)', '台湾', 'and tabs']) {
      const terms = parseQuery(`"${query}"`).terms;
      expect(highlightRanges(text, terms), query).toEqual(plainRanges(text, terms));
      expect(highlightRanges(text, terms).length, query).toBe(1);
    }
  });

  it('shows the text around a match far into a long text, and the opening when the text holds none', () => {
    const long = `${'前'.repeat(5000)}深度求索${'後'.repeat(5000)}`;
    expect(excerpt(long, ['深度求索'], 10)).toEqual({ text: `…${'前'.repeat(10)}深度求索${'後'.repeat(10)}…`, ranges: [[11, 15]] });
    // Across the place where one piece of folding ends and the next begins.
    const across = `${'前'.repeat(1022)}深度求索${'後'.repeat(100)}`;
    expect(excerpt(across, ['深度求索'], 10).ranges).toEqual([[11, 15]]);
    expect(excerpt(long, ['罗宾'], 10)).toEqual({ text: `${'前'.repeat(20)}…`, ranges: [] });
  });
});
