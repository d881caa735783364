import { describe, expect, it } from 'vitest';
import { edgeCase } from '../../test/support/archives';
import { htmlToText, tidyLines } from './html-text';
import { parsePost } from './post';

function summaryOf(fragment: string): string {
  const c = edgeCase(fragment);
  const result = parsePost(c.text, c.path);
  if (!result.ok) throw new Error(result.error.message);
  return result.post.summary;
}

describe('readable text from archive HTML', () => {
  it('keeps text that an unescaped `<` would make a browser swallow', () => {
    expect(summaryOf('30歲前的你感到迷茫時')).toContain('<<the one thing >>這書提到專注在一件事的力量');
    const science = summaryOf('开放科学与可重复性');
    expect(science).toContain('(0<p<1)的误解');
    expect(science).toContain('p<0.05表明接受实验的假设');
    expect(summaryOf('青年论坛')).toContain('《八十年代的一束思想之光——<青年论坛>纪事》');
  });

  it('drops pasted browser-extension junk, players and embeds', () => {
    const junk = summaryOf('动荡年代');
    expect(junk).not.toMatch(/lt-mirror|lt-highlighter|!important|<canvas/);
    expect(junk).toContain('不知不觉已经是2020年10月了');
    const embeds = summaryOf('活动回顾');
    expect(embeds).not.toMatch(/jsfiddle|<audio|<iframe/);
  });

  it('keeps runs of stray `<` and control-free text exactly, in one piece', () => {
    expect(htmlToText('<p>a <<< b <x <= c</p><p>\u0001d\u0000</p>')).toBe('a <<< b <x <= c\n\nd');
  });

  it('decodes entities and separates paragraphs', () => {
    expect(htmlToText('<p>a &amp; b&nbsp;c</p><p>d<br>e</p>')).toBe('a & b c\n\nd\n\ne');
  });

  it('never returns markup, even for hostile HTML', () => {
    const text = htmlToText('<img src=x onerror=alert(1)><svg onload=alert(2)><script>alert(3)</script></svg>&lt;b&gt;bold&lt;/b&gt;');
    expect(text).toBe('<b>bold</b>'); // decoded text; rendered as text it is harmless
    expect(text).not.toContain('alert');
  });
});

describe('tidy lines', () => {
  // The definition, as it was written before it became one pass.
  const tidied = (text: string) => text.split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();

  it('collapse spaces within lines and blank lines between them, exactly as the step by step definition', () => {
    const pieces = [' ', '  ', '\n', '\n\n', '\n\n\n', '\r\n', '\t', '\u00a0', '\u3000', '\u2028', '\ufeff', '\u0085', '\u180e', 'a', '中文', 'b c', '😀'];
    let seed = 1;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let t = 0; t < 20000; t++) {
      let text = '';
      for (let k = next(24); k > 0; k--) text += pieces[next(pieces.length)];
      expect(tidyLines(text), JSON.stringify(text)).toBe(tidied(text));
    }
    expect(tidyLines('  one  two \n\n\n\n three\u3000\n ')).toBe('one two\n\nthree');
  });
});
