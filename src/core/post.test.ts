import { pathologicalPosts } from '../../bench/pathological';
import { describe, expect, it } from 'vitest';
import { edgeCase, edgeCases, seedText } from '../../test/support/archives';
import { parsePost, type Post } from './post';

function post(text: string, path = 'archived/2025-02-02/x.md'): Post {
  const result = parsePost(text, path);
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  return result.post;
}

const SEED_PATH = 'archived/2025-02-02/2025-02-02-圍繞深度求索.md';

describe('the seed post', () => {
  const seed = post(seedText(), SEED_PATH);

  it('has the fields a reader sees', () => {
    expect(seed.videoId).toBe('-VWLP6-06Jc');
    expect(seed.title).toMatch(/^圍繞深度求索橫空出世之後的輿情耐人尋味，官式解讀/);
    expect(seed.title).toMatch(/李强的位子穩了$/);
    expect(seed.date).toBe('2025-02-02T14:00:00.000Z');
    expect(seed.author).toBe('老楊到處說');
    expect(seed.channel).toBe('老楊到處說');
    expect(seed.tags).toEqual(['老楊到處說']);
    expect(seed.sourceUrl).toBe('https://www.youtube.com/watch?v=-VWLP6-06Jc');
    expect(seed.path).toBe(SEED_PATH);
    expect(seed.mentions).toEqual([]);
  });

  it('keeps the description as plain text without the generator’s wrapping', () => {
    expect(seed.summary).toMatch(/^訂閱楊錦麟頻道，每天免費收看最新影片/);
    expect(seed.summary).toMatch(/仍值得高度關注。$/);
    expect(seed.summary).not.toMatch(/<div>|<\/div>|<!--|\]\(https/);
    expect(seed.bodyHtml.startsWith('訂閱楊錦麟頻道')).toBe(true);
  });

  it('has an id that does not depend on where the file is', () => {
    expect(post(seedText(), '_posts/2025-02-02-x.md').id).toBe(seed.id);
    expect(seed.id).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('every edge-case post', () => {
  it.each(edgeCases().map((c) => [c.file, c] as const))('%s parses', (_file, c) => {
    const result = parsePost(c.text, c.path);
    expect(result.ok).toBe(true);
  });

  it('reads titles exactly as the author wrote them', () => {
    expect(post(edgeCase('語文水平').text).title).toContain('究竟係語文水平\\智力\\定中共問題');
    expect(post(edgeCase('胡时代').text).title).toBe('"胡时代"的崛起和终结  ｜ The Rise and Bust of Hu Jintao\'s Era');
    expect(post(edgeCase('三个教授').text).title).toBe('崔永元：边讲故事，边卖酒。”三个教授"');
    expect(post(edgeCase('慷慨解囊').text).title).toBe(' 慷慨解囊：不差钱的主家给帮忙的人发烟');
    expect(post(edgeCase('青年论坛').text).title).toBe('热烈推荐李明华新著《八十年代的一束思想之光——<青年论坛>纪事》');
  });

  it('takes the channel from tags even when the author differs or has odd spaces', () => {
    expect(post(edgeCase('慈禧太后').text).channel).toBe('李天豪');
    const medium = post(edgeCase('絕育才是道德').text);
    expect(medium.channel).toBe('好青年荼毒室');
    expect(medium.author).toBe('好青年荼毒室\u200a—\u200a哲學部');
    expect(medium.videoId).toBeNull();
  });

  it('keeps blog posts without a video, with their readable text', () => {
    const matters = post(edgeCase('梁廣年').text);
    expect(matters.videoId).toBeNull();
    expect(matters.summary).toContain('「一個人的社會」第一期展覽海報');
    // Event handlers and markup never reach the summary.
    expect(matters.summary).not.toMatch(/onerror|<source|<iframe|srcset/);
    // Videos embedded in the article are mentions.
    expect(matters.mentions.length).toBeGreaterThan(0);
  });

  it('reads an empty description as an empty summary', () => {
    expect(post(edgeCase('黛米女士').text).summary).toBe('');
  });

  it('reads the largest description (109,152 characters) whole', () => {
    const big = edgeCase('山河 X 徐琳瑜');
    const parsed = post(big.text);
    expect(parsed.bodyHtml.length).toBeGreaterThan(100_000);
    // The whole article text, from its first caption to its last sentence.
    expect(parsed.summary).toMatch(/^「一個人的社會」第一期展覽海報/);
    expect(parsed.summary).toMatch(/以面對個體在社會實踐中所遭遇的內外困境。$/);
  });

  it('lists videos a description links to as mentions, apart from the archived one', () => {
    const kol = post(edgeCase('#27 如何成為KOL').text);
    expect(kol.videoId).toBe('pHi5kickHTQ');
    expect(kol.mentions).toEqual(['U1gdn_snih0']);
  });

  it('keeps retitled and re-dated posts of one video apart', () => {
    const retitled = [edgeCase('#27 如何成為KOL'), edgeCase('這堂課教你')].map((c) => post(c.text, c.path));
    expect(retitled[0]!.videoId).toBe(retitled[1]!.videoId);
    expect(retitled[0]!.id).not.toBe(retitled[1]!.id);
    const redated = [edgeCase('2022-02-08/'), edgeCase('2022-02-09/')].map((c) => post(c.text, c.path));
    expect(redated[0]!.videoId).toBe('XMIMDpfOULU');
    expect(redated[0]!.id).not.toBe(redated[1]!.id);
  });
});

describe('bad input', () => {
  const cases: [string, string, string][] = [
    ['an empty file', '', 'empty'],
    ['a file that is not a post', '# Notes\nJust markdown.', 'no-front-matter'],
    ['a post whose front matter never ends', '---\ntitle: "x"\n', 'unterminated-front-matter'],
    ['a post without a title', '---\nfrom: https://www.youtube.com/watch?v=-VWLP6-06Jc\ndate: 2025-01-01\n---\n', 'missing-title'],
    ['a post without a source', '---\ntitle: "x"\ndate: 2025-01-01\n---\n', 'missing-source'],
    ['a post with a nonsense date', '---\ntitle: "x"\ndate: soon\nfrom: https://www.youtube.com/watch?v=-VWLP6-06Jc\n---\n', 'invalid-date'],
  ];

  it.each(cases)('%s gets a reason', (_what, text, reason) => {
    const result = parsePost(text, 'archived/nodate.md');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe(reason);
      expect(result.error.path).toBe('archived/nodate.md');
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it('falls back to the date in the file name', () => {
    const p = post('---\ntitle: "x"\nfrom: https://www.youtube.com/watch?v=-VWLP6-06Jc\n---\n', '_posts/2021-03-04-x.md');
    expect(p.date).toBe('2021-03-04T00:00:00.000Z');
  });

  it('reads a 100,000-character description', () => {
    const long = '長'.repeat(100_000);
    const p = post(`---\ntitle: "x"\ndate: 2025-01-01T00:00:00Z\nfrom: https://www.youtube.com/watch?v=-VWLP6-06Jc\n---\n<div>\n${long}\n</div>\n`);
    expect(p.summary).toBe(long);
  });

  it('keeps a title full of quotes and backslashes', () => {
    const p = post('---\ntitle: "\\"a\\" \\\\ \\q \'b\' \\"\\""\ndate: 2025-01-01T00:00:00Z\nfrom: https://youtu.be/-VWLP6-06Jc\n---\n');
    expect(p.title).toBe('"a" \\ \\q \'b\' ""');
    expect(p.videoId).toBe('-VWLP6-06Jc');
  });

  it('turns HTML with event handlers into inert text', () => {
    const html = '<p>safe <img src=x onerror="alert(1)"> text</p><script>alert(2)</script><source onerror="evil()">';
    const p = post(`---\ntitle: "<b onclick=alert(3)>t</b>"\ndate: 2025-01-01T00:00:00Z\nfrom: https://matters.news/x\n---\n<div>\n${html}\n</div>\n`);
    expect(p.summary).toBe('safe text');
    expect(p.title).toBe('<b onclick=alert(3)>t</b>'); // data: the UI renders it as text
  });
});

describe("dates and ids do not depend on the reader's machine", () => {
  const withDate = (date: string) => seedText().replace(/^date: .*$/m, `date: ${date}`);

  it('gives a post written without an offset the same date and id in every time zone', () => {
    const before = process.env.TZ;
    const results = ['Asia/Taipei', 'America/Los_Angeles', 'UTC'].map((zone) => {
      process.env.TZ = zone;
      const r = parsePost(withDate('2025-02-02 12:00:00'), 'archived/2025-02-02/x.md');
      return r.ok ? [r.post.id, r.post.date] : null;
    });
    process.env.TZ = before;
    expect(results[0]).toEqual(['' + results[0]![0], '2025-02-02T12:00:00.000Z']);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it("reads such dates in the site's time zone when it has one", () => {
    const r = parsePost(withDate('2025-02-02 12:00:00'), 'archived/2025-02-02/x.md', { timeZone: 'Asia/Taipei' });
    expect(r.ok && r.post.date).toBe('2025-02-02T04:00:00.000Z');
  });

  it.each([['+08', '2025-02-02T04:00:00.000Z'], ['UTC', '2025-02-02T12:00:00.000Z'], ['+08:00', '2025-02-02T04:00:00.000Z'], ['+0800', '2025-02-02T04:00:00.000Z']])(
    'reads the offset %s instead of falling back to the file name',
    (offset, iso) => {
      const r = parsePost(withDate(`2025-02-02 12:00:00 ${offset}`), 'archived/2025-02-01/2025-02-01-x.md');
      expect(r.ok && r.post.date).toBe(iso);
    },
  );
});

describe('hostile posts', () => {
  // Shapes that make careless patterns quadratic; `npm run bench` times them.
  it.each(pathologicalPosts())('$name is read, never thrown on', ({ text }) => {
    const result = parsePost(text, '_posts/2025-02-02-hostile.md');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.post.date).toBe('2025-02-02T00:00:00.000Z');
  });

  it('reads a flow list of thousands of quoted items as the items', () => {
    const text = `---\ntitle: "t"\ndate: 2025-02-02\nfrom: https://example.com/a\ntags: [${'"x y",'.repeat(5000)}"z"]\n---\nbody`;
    const result = parsePost(text, '_posts/2025-02-02-t.md');
    expect(result.ok && result.post.tags).toEqual(['x y', 'z']);
  });

  it('keeps `__proto__` and `constructor` front-matter keys as plain keys', () => {
    const text = `---\n__proto__: x\nconstructor: y\ntitle: "t"\ndate: 2025-02-02\nfrom: https://example.com/a\n---\nbody`;
    const result = parsePost(text, '_posts/2025-02-02-t.md');
    expect(result.ok && result.post.title).toBe('t');
  });
});
