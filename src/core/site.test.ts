import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHIVES } from '../../test/support/archives';
import { folderCategories, jekyllSlug, parseSiteConfig, postFileUrl, postUrl, siteBuilds, slugFromPath, validRepo, validSiteConfig } from './site';

const teahouse = parseSiteConfig(readFileSync(join(ARCHIVES, 'config/NodeBE4-teahouse/_config.yml'), 'utf8'));
const society = parseSiteConfig(readFileSync(join(ARCHIVES, 'config/NodeBE4-society/_config.yml'), 'utf8'));

describe('where Jekyll publishes a post', () => {
  it('reads url, baseurl and permalink from the real configurations', () => {
    expect(teahouse).toMatchObject({ url: 'https://nodebe4.github.io', baseurl: '/teahouse', permalink: '/:year-:month-:day/:title/' });
    expect(society.baseurl).toBe('/society');
  });

  it('builds the seed post’s URL from its file name, as Jekyll slugifies it', () => {
    const path = 'archived/2025-02-02/2025-02-02-圍繞深度求索橫空出世之後的輿情耐人尋味，官式解讀馬斯克反應有點主旋律味道，openAI則有坦然面對看.md';
    const url = postUrl(teahouse, { path, date: '2025-02-02T14:00:00.000Z' });
    expect(decodeURI(url)).toBe(
      'https://nodebe4.github.io/teahouse/2025-02-02/圍繞深度求索橫空出世之後的輿情耐人尋味-官式解讀馬斯克反應有點主旋律味道-openAI則有坦然面對看/',
    );
  });

  it('turns runs of punctuation, spaces and `#` into single hyphens and keeps Jekyll’s safe characters', () => {
    expect(jekyllSlug('創作者經濟 IMO 📣 週報 #48｜如果是勇者')).toBe('創作者經濟-IMO-週報-48-如果是勇者');
    expect(jekyllSlug("It's Over! South Africa is F*&$d  - Failed State")).toBe("It's-Over!-South-Africa-is-F-&$d-Failed-State");
    expect(jekyllSlug('[閒聊] Liker.land 以 Matters 登入問題 ')).toBe('閒聊-Liker.land-以-Matters-登入問題');
    // Combining marks stay (the file name is not NFC).
    expect(jekyllSlug('z\u030cz\u030c瑋琪')).toBe('z\u030cz\u030c瑋琪');
  });

  it('takes the slug from the file name, which can differ from the title', () => {
    expect(slugFromPath('archived/2024-03-23/2024-03-23-\u00a0慷慨解囊.md')).toBe('\u00a0慷慨解囊');
    expect(slugFromPath('archived/2011-02-11/2011-02-11-北庄窑洞（038）.avi.md')).toBe('北庄窑洞（038）.avi');
  });

  it('uses the UTC date of the front matter and encodes the path', () => {
    const url = postUrl(society, { path: 'archived/2023-06-08/2023-06-08-a b?c#d.md', date: '2023-06-08T23:30:00.000Z' });
    expect(url).toBe('https://nodebe4.github.io/society/2023-06-08/a-b-c-d/');
  });

  it('supports Jekyll’s named permalink styles', () => {
    const pretty = postUrl({ url: 'https://x.io', baseurl: '', permalink: 'pretty' }, { path: '_posts/2020-01-02-hello.md', date: '2020-01-02T00:00:00Z' });
    expect(pretty).toBe('https://x.io/2020/01/02/hello/');
    const date = postUrl({ url: 'https://x.io', baseurl: '/b', permalink: 'date' }, { path: '_posts/2020-01-02-hello.md', date: '2020-01-02T00:00:00Z' }, ['News']);
    expect(date).toBe('https://x.io/b/news/2020/01/02/hello.html');
  });

  it('links to the file in the repository with every path segment encoded', () => {
    expect(postFileUrl({ owner: 'NodeBE4', name: 'teahouse', branch: 'master' }, 'archived/2024-06-10/週報 #48?.md')).toBe(
      'https://github.com/NodeBE4/teahouse/blob/master/archived/2024-06-10/%E9%80%B1%E5%A0%B1%20%2348%3F.md',
    );
  });
});

describe('site settings written by strangers', () => {
  const post = { path: 'archived/2025-02-02/2025-02-02-x.md', date: '2025-02-02T14:00:00.000Z' };

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('permalink: %s is a template, not an object key', (permalink) => {
    const site = parseSiteConfig(`url: https://example.org\npermalink: ${permalink}\n`);
    expect(() => postUrl(site, post)).not.toThrow();
    expect(postUrl(site, post)).toBe(`https://example.org/${permalink}`);
  });

  it('placeholders named like Object members stay as written', () => {
    const site = parseSiteConfig('url: https://example.org\npermalink: /:constructor/:toString/:title/\n');
    expect(postUrl(site, post)).toBe('https://example.org/:constructor/:toString/x/');
  });

  it('checks stored and downloaded settings field by field', () => {
    expect(validSiteConfig({ url: 'https://a.org/', baseurl: 'b', permalink: 7 })).toEqual({ url: 'https://a.org', baseurl: '/b', permalink: 'date' });
    expect(validSiteConfig({ url: 'javascript:alert(1)', permalink: 'pretty' })?.url).toBe('');
    expect(validSiteConfig(JSON.parse('{"__proto__": {"url": "https://evil.org"}}'))?.url).toBe('');
    expect(validSiteConfig('pretty')).toBeNull();
    expect(validSiteConfig(null)).toBeNull();
    expect(validRepo({ owner: 'NodeBE4', name: 'society', branch: 'master' })).toEqual({ owner: 'NodeBE4', name: 'society', branch: 'master' });
    expect(validRepo({ owner: '..', name: 'x', branch: 'main' })).toBeNull();
    expect(validRepo({ owner: 'a', name: 'b', branch: 3 })).toBeNull();
  });

  it('builds links for paths with a lone surrogate (an emoji cut in half) instead of throwing', () => {
    const path = 'archived/2021-08-27/2021-08-27-突發😷\ud83d.md';
    expect(decodeURI(postUrl(society, { path, date: post.date }))).toBe('https://nodebe4.github.io/society/2025-02-02/突發/');
    expect(postFileUrl({ owner: 'NodeBE4', name: 'society', branch: 'master' }, path)).toContain('%EF%BF%BD');
  });

  it("dates permalinks in the site's time zone", () => {
    const site = parseSiteConfig('url: https://example.org\ntimezone: Asia/Taipei\npermalink: /:year-:month-:day/:title/\n');
    expect(site.timezone).toBe('Asia/Taipei');
    expect(postUrl(site, { path: '_posts/2025-02-02-x.md', date: '2025-02-02T18:00:00.000Z' })).toBe('https://example.org/2025-02-03/x/');
    expect(parseSiteConfig('timezone: Mars/Olympus\n').timezone).toBeUndefined();
  });
});

describe('which posts the site builds (Jekyll reader rules)', () => {
  it("reads society's exclude list, which holds archived/", () => {
    expect(society.exclude).toContain('archived');
    expect(society.exclude).toContain('README*.md');
  });

  it('builds posts in _posts/ and none in an excluded folder, a special folder, or under a name that is not a post', () => {
    expect(siteBuilds(society, '_posts/2019-05-28-小巷子系列2.md')).toBe(true);
    expect(siteBuilds(society, 'archived/2024-01-17/2024-01-17-標題.md')).toBe(false);
    // Excluded as the start of a path, as Jekyll's start_with? does.
    expect(siteBuilds(society, 'archived/_posts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(society, 'archived2/_posts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(society, '_drafts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(society, '_posts/.hidden/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(society, '_posts/about.md')).toBe(false);
    expect(siteBuilds(society, 'blog/_posts/2024-01-17-a.md')).toBe(true);
  });

  it('matches exclude globs as Ruby fnmatch does, and lets include win', () => {
    const site = parseSiteConfig('url: https://a.github.io\nexclude: [old*, "n?ws", "[xy]z"]\ninclude: [oldies]');
    expect(siteBuilds(site, 'older/_posts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(site, 'news/_posts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(site, 'xz/_posts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(site, 'zz/_posts/2024-01-17-a.md')).toBe(true);
    expect(siteBuilds(site, 'oldies/_posts/2024-01-17-a.md')).toBe(false);
    expect(siteBuilds(parseSiteConfig('exclude: [old]\ninclude: [old]'), 'old/_posts/2024-01-17-a.md')).toBe(true);
    // A hostile pattern answers at once.
    expect(siteBuilds(parseSiteConfig(`exclude: ["${'*a'.repeat(40)}"]`), `${'a'.repeat(60)}/_posts/2024-01-17-b.md`)).toBe(true);
  });

  it('adds the folders above _posts as categories, as Jekyll does', () => {
    expect(folderCategories('blog/news/_posts/2024-01-17-a.md')).toEqual(['blog', 'news']);
    expect(postUrl({ url: 'https://a.github.io', baseurl: '', permalink: 'date' }, { path: 'blog/_posts/2024-01-17-a.md', date: '2024-01-17T00:00:00Z' }, folderCategories('blog/_posts/2024-01-17-a.md'))).toBe('https://a.github.io/blog/2024/01/17/a.html');
  });
});
