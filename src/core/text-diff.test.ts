// Checked on real posts: each society post's title and description, rendered
// as YouTube would show them (line breaks and spaces where the archive has
// none, full-width forms, entities), is not a change; real edits are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractedSociety, listFiles } from '../../test/support/archives';
import { parsePost, type Post } from './post';
import { textChange } from './text-diff';

function societyPosts(every: number): Post[] {
  const root = extractedSociety();
  return listFiles(root).filter((f, i) => f.endsWith('.md') && i % every === 0).flatMap((path) => {
    const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
    return r.ok ? [r.post] : [];
  });
}

/** The same text as YouTube might render it: line breaks, CRLF, doubled spaces, full-width and half-width forms, entities. */
function asYouTubeShowsIt(text: string, seed: number): string {
  let out = '';
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (const char of text) {
    const r = next();
    if (r < 0.02) out += '\r\n';
    else if (r < 0.04) out += '  ';
    if (/[A-Za-z0-9]/.test(char) && next() < 0.1) out += String.fromCharCode(char.charCodeAt(0) + 0xfee0); // full-width
    else if (char === '&' && next() < 0.5) out += '&amp;';
    else out += char;
  }
  return `\n${out}\n`;
}

describe('what the uploader changed', () => {
  it('is nothing for every sampled society post as YouTube would show it unchanged', () => {
    const posts = societyPosts(5);
    expect(posts.length).toBeGreaterThan(2500);
    posts.forEach((post, i) => {
      expect(textChange(post.title, asYouTubeShowsIt(post.title, i)), post.path).toBeNull();
      expect(textChange(post.summary, asYouTubeShowsIt(post.summary, i + 1)), post.path).toBeNull();
    });
  });

  it('shows a retitled video word by word, Chinese character by character', () => {
    const change = textChange('老楊到處說：圍繞深度求索的三個問題', '老楊到處說：圍繞DeepSeek的兩個問題')!;
    expect(change.diff).toEqual([
      { op: '=', text: '老楊到處說：圍繞' },
      { op: '-', text: '深度求索' },
      { op: '+', text: 'DeepSeek' },
      { op: '=', text: '的' },
      { op: '-', text: '三' },
      { op: '+', text: '兩' },
      { op: '=', text: '個問題' },
    ]);
    expect(change).toMatchObject({ removed: 5, added: 2 });
  });

  it('counts what an edit removed from a real description, and keeps the rest as it was', () => {
    const post = societyPosts(50).find((p) => p.summary.length > 400)!;
    const cut = post.summary.slice(100, 160);
    const edited = post.summary.replace(cut, '');
    const change = textChange(post.summary, edited)!;
    expect(change.removed).toBeGreaterThan(0);
    expect(change.added).toBe(0);
    expect(change.diff!.filter((o) => o.op === '-').map((o) => o.text).join('').replace(/\s/g, '')).toBe(cut.replace(/\s/g, ''));
  });

  it('says how much changed when a description was rewritten beyond a word-by-word view', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const b = Array.from({ length: 3000 }, (_, i) => `other${i}`).join(' ');
    expect(textChange(a, b)).toEqual({ removed: 3000, added: 3000, diff: null });
  });
});
