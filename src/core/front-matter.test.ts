import { describe, expect, it } from 'vitest';
import { booleanField, splitFrontMatter } from './front-matter';

function data(frontMatter: string) {
  const result = splitFrontMatter(`---\n${frontMatter}\n---\nbody`);
  if (!result.ok) throw new Error(result.reason);
  return result.value.data;
}

describe('tolerant front matter', () => {
  it('reads escaped quotes at the start and the end of a title', () => {
    expect(data('title: "\\"胡时代\\"的崛起和终结"').title).toBe('"胡时代"的崛起和终结');
    expect(data('title: "崔永元：边讲故事，边卖酒。”三个教授\\""').title).toBe('崔永元：边讲故事，边卖酒。”三个教授"');
  });

  it('keeps a backslash that strict YAML rejects, as the author wrote it', () => {
    expect(data('title: "究竟係語文水平\\智力\\定中共問題"').title).toBe('究竟係語文水平\\智力\\定中共問題');
  });

  it('decodes the escapes YAML defines', () => {
    expect(data('title: "a\\\\b\\tc\\u00e9\\x41\\U0001F600"').title).toBe('a\\b\tcéA😀');
  });

  it('reads flow lists with odd spacing and quoted items', () => {
    expect(data('tags: [  李天豪 ]').tags).toEqual(['李天豪']);
    expect(data('tags: [ a, "b, c", \'d\' ]').tags).toEqual(['a', 'b, c', 'd']);
    expect(data('tags: []').tags).toEqual([]);
  });

  it('reads plain scalars and drops YAML comments', () => {
    const d = data('date: 2025-02-02T14:00:00.000Z\nauthor: 老楊到處說 # a comment\ncomments: True\nempty:');
    expect(d).toMatchObject({ date: '2025-02-02T14:00:00.000Z', author: '老楊到處說', comments: 'True', empty: '' });
  });

  it('separates the body, and rejects text that is not a post', () => {
    const result = splitFrontMatter('\uFEFF---\r\ntitle: "x"\r\n---\r\n<div>\r\nhi\r\n</div>');
    expect(result.ok && result.value.body).toBe('<div>\nhi\n</div>');
    expect(splitFrontMatter('# just markdown').ok).toBe(false);
    expect(splitFrontMatter('---\ntitle: never closed\n')).toEqual({ ok: false, reason: 'unterminated-front-matter' });
  });

  it('does not take a `---` inside a title for a delimiter', () => {
    expect(data('title: "A BATTLE LONG FORGOTTEN --- 湘江戰役"').title).toBe('A BATTLE LONG FORGOTTEN --- 湘江戰役');
  });
});

describe('booleans, as Ruby reads them', () => {
  it('are true for true/yes/on, false for false/no/off and nil, and undefined otherwise', () => {
    const read = (value: string) => {
      const split = splitFrontMatter(`---\nflag: ${value}\n---\n`);
      return split.ok ? booleanField(split.value.data, 'flag') : 'unreadable';
    };
    expect(['true', 'Yes', 'ON'].map(read)).toEqual([true, true, true]);
    expect(['false', 'No', 'off', '', '~', 'null'].map(read)).toEqual([false, false, false, false, false, false]);
    expect(['maybe', '1', 'falsey'].map(read)).toEqual([undefined, undefined, undefined]);
    const none = splitFrontMatter('---\ntitle: x\n---\n');
    expect(none.ok && booleanField(none.value.data, 'flag')).toBeUndefined();
  });
});

describe('lines and body', () => {
  const split = (text: string) => {
    const result = splitFrontMatter(text);
    if (!result.ok) throw new Error(result.reason);
    return result.value;
  };

  it('reads Windows line ends as Unix ones, in the front matter and the body, and keeps a lone carriage return', () => {
    const read = split('\r\n\r\n---\r\ntitle: "a"\r\ntags: [ x, y ]\r\n---\r\none\r\ntwo\rstill two\r\r\n');
    expect(read.data).toEqual({ title: 'a', tags: ['x', 'y'] });
    expect(read.body).toBe('one\ntwo\rstill two\r\n');
  });

  it('gives an empty body when the closing line ends the file, with or without a line end', () => {
    expect(split('---\ntitle: a\n---').body).toBe('');
    expect(split('---\ntitle: a\n---\n').body).toBe('');
    expect(split('\ufeff---\ntitle: a\n---  \n\nbody\n').body).toBe('\nbody\n');
  });

  it('says what is wrong with a file that is not a post', () => {
    expect(splitFrontMatter('')).toEqual({ ok: false, reason: 'no-front-matter' });
    expect(splitFrontMatter('  \n\ntitle: a\n---\n')).toEqual({ ok: false, reason: 'no-front-matter' });
    expect(splitFrontMatter('---\r\ntitle: a\r\n')).toEqual({ ok: false, reason: 'unterminated-front-matter' });
  });

  it('reads quoted values with their escapes, and single-quoted ones with doubled quotes', () => {
    const read = split(`---\na: "x\\"y\\\\z\\u4e2d\\q"\nb: 'it''s'\nc: "unclosed \\\nd: 'open\ne: "tail\\\\"\n---\n`);
    expect(read.data).toEqual({ a: 'x"y\\z中\\q', b: "it's", c: 'unclosed \\', d: 'open', e: 'tail\\' });
  });
});
