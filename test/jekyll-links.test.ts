// The archive's website as Jekyll itself builds it is the oracle for the
// links ArchiveLens computes: society's posts, built with its real
// _config.yml (minimal layouts, no plugins: neither changes a URL; Jekyll 4
// refuses the Ruby symbol in its `sass:` block, which GitHub Pages' Jekyll 3
// accepted, so that block goes), and a small site that uses the rules society
// does not (named permalink style, categories from folders, exclude globs,
// include). Every link must be a built page; every built post page must be
// linked; posts the site does not build get none. Needs `jekyll` (Debian's
// package; `.ci/run` installs it).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePost } from '../src/core/post';
import { parseSiteConfig } from '../src/core/site';
import { siteLink } from '../src/db/queries';
import { ARCHIVES, extractedSociety, listFiles } from './support/archives';

function jekyll(source: string): string {
  try {
    execFileSync('jekyll', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('jekyll is not installed: `apt-get install jekyll` (.ci/run installs it). It is the oracle for the archive links.');
  }
  const site = join(dirname(source), 'site');
  execFileSync('jekyll', ['build', '--safe', '--quiet', '-s', source, '-d', site], { stdio: 'pipe', env: { ...process.env, JEKYLL_ENV: 'production' } });
  return site;
}

/** A config Jekyll 4 accepts: society's, without its `sass:` block (a Ruby symbol) and plugins, which change no URL. */
function buildableConfig(yaml: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of yaml.split('\n')) {
    if (/^(sass|plugins|destination):/.test(line)) {
      skipping = true;
      continue;
    }
    if (skipping && (/^[\s-]/.test(line) || line.trim() === '')) continue;
    skipping = false;
    out.push(line);
  }
  return out.join('\n');
}

const tmp = mkdtempSync(join(tmpdir(), 'archivelens-jekyll-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a site, builds it, and compares every file's link with what Jekyll built. */
function check(name: string, config: string, files: Record<string, string>) {
  const source = join(tmp, name, 'src');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(source, path)), { recursive: true });
    writeFileSync(join(source, path), text);
  }
  mkdirSync(join(source, '_layouts'), { recursive: true });
  for (const layout of ['default', 'post', 'page']) writeFileSync(join(source, '_layouts', `${layout}.html`), '{{ content }}');
  writeFileSync(join(source, '_config.yml'), config);
  const built = jekyll(source);
  const site = parseSiteConfig(config);
  const prefix = `${site.url}${site.baseurl}`;
  const linked = new Map<string, string>();
  const unlinked: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const parsed = parsePost(text, path);
    if (!parsed.ok) continue;
    const link = siteLink(site, { ...parsed.post, paths: [path] });
    if (link === null) unlinked.push(path);
    else {
      expect(link.startsWith(prefix), link).toBe(true);
      linked.set(decodeURI(link.slice(prefix.length)), path);
    }
  }
  // Every link is a page Jekyll built.
  // The file a link is served from: `index.html` in a folder, or (GitHub Pages serves
  // extensionless URLs) the `.html` Jekyll adds to a permalink without an extension.
  const fileOf = (url: string) => (url.endsWith('/') ? `${url}index.html` : /\.[^./]+$/.test(url) ? url : `${url}.html`);
  const missing = [...linked.keys()].filter((url) => !existsSync(join(built, fileOf(url))));
  expect(missing, 'links to pages the site does not have').toEqual([]);
  // Every page Jekyll built from a post is linked (and nothing else is: the rest are ours or Jekyll's own).
  const pages = listFiles(built).filter((f) => f.endsWith('.html') && !/^(index|404)\.html$/.test(f) && !f.startsWith('_layouts'));
  const urls = new Set([...linked.keys()].map((u) => fileOf(u).replace(/^\//, '')));
  expect(pages.filter((p) => !urls.has(p)), 'pages built from posts with no link').toEqual([]);
  return { linked: linked.size, unlinked };
}

describe('links to the archive website, checked against Jekyll', () => {
  it("society: every _posts/ post links to the page Jekyll builds, no archived/ post links anywhere (its _config.yml excludes archived/)", () => {
    const root = extractedSociety();
    const all = listFiles(root).filter((f) => f.endsWith('.md'));
    const pick = (prefix: string, n: number) => {
      const list = all.filter((f) => f.startsWith(prefix));
      return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!);
    };
    const chosen = [...new Set([...pick('_posts/', 300), ...pick('archived/', 300)])];
    const files = Object.fromEntries(chosen.map((f) => [f, readFileSync(join(root, f), 'utf8')]));
    const config = buildableConfig(readFileSync(join(ARCHIVES, 'config/NodeBE4-society/_config.yml'), 'utf8'));
    const { linked, unlinked } = check('society', config, files);
    expect(linked).toBeGreaterThanOrEqual(290);
    expect(unlinked.filter((p) => p.startsWith('_posts/'))).toEqual([]);
    expect(unlinked.filter((p) => p.startsWith('archived/')).length).toBeGreaterThanOrEqual(290);
  }, 120_000);

  it('a site with a named permalink style, categories from folders, exclude globs and include', () => {
    const seed = readFileSync(join(extractedSociety(), listFiles(extractedSociety()).find((f) => f.startsWith('_posts/') && f.endsWith('.md'))!), 'utf8');
    const post = (title: string, extra = '') => seed.replace(/^title: .*$/m, `title: "${title}"${extra}`);
    const files: Record<string, string> = {
      '_posts/2024-05-01-top level.md': post('top'),
      'blog/_posts/2024-05-02-in a folder.md': post('folder'),
      'blog/news/_posts/2024-05-03-two folders.md': post('two'),
      'older/_posts/2024-05-04-excluded by glob.md': post('glob'),
      'oldies/_posts/2024-05-05-included again.md': post('included'),
      'stale/_posts/2024-05-08-excluded and included.md': post('both'),
      '_drafts/2024-05-06-a draft.md': post('draft'),
      'archived/2024-05-07/2024-05-07-not a post.md': post('archived'),
      '_posts/2024-05-09-unpublished.md': post('unpublished', '\npublished: false'),
      '_posts/2024-05-10-published.md': post('published', '\npublished: true'),
      '_posts/2024-05-11-own permalink.md': post('own', '\npermalink: /自己的/:categories/:title/:year'),
      '_posts/2024-05-12-own page.md': post('page', '\npermalink: "/pages/Own Page.html"'),
      'blog/_posts/2024-05-13-file name.md': post('slugged', '\nslug: 另一個 Slug, Title!'),
      '_posts/2024-05-14-dots....md': post('dots'),
      '_posts/2099-05-15-in the future.md': post('future').replace(/^date: .*$/m, 'date: 2099-05-15 10:00:00 +0000'),
    };
    const config = 'url: https://example.github.io\nbaseurl: /arch\npermalink: date\nexclude:\n  - old*\n  - archived\n  - stale\ninclude:\n  - oldies\n  - stale\n';
    const { linked, unlinked } = check('rules', config, files);
    // As Jekyll 4.3 builds it: `include:` takes back an entry `exclude:` names as it is, not a folder an `exclude:` glob names.
    expect(linked).toBe(9);
    expect(unlinked.sort()).toEqual([
      '_drafts/2024-05-06-a draft.md', '_posts/2024-05-09-unpublished.md', '_posts/2099-05-15-in the future.md',
      'archived/2024-05-07/2024-05-07-not a post.md', 'older/_posts/2024-05-04-excluded by glob.md', 'oldies/_posts/2024-05-05-included again.md',
    ]);
  }, 120_000);

  it('a site with `future: true`, the pretty style and `:slug`', () => {
    const seed = readFileSync(join(extractedSociety(), listFiles(extractedSociety()).find((f) => f.startsWith('_posts/') && f.endsWith('.md'))!), 'utf8');
    const post = (title: string, extra = '') => seed.replace(/^title: .*$/m, `title: "${title}"${extra}`);
    const files: Record<string, string> = {
      '_posts/2099-05-15-in the future.md': post('future').replace(/^date: .*$/m, 'date: 2099-05-15 10:00:00 +0000'),
      '_posts/2024-05-16-Mixed Case 名字.md': post('mixed', '\npermalink: /by-slug/:slug/'),
      '_posts/2024-05-17-pretty one.md': post('pretty'),
    };
    const { linked, unlinked } = check('future', 'url: https://example.github.io\npermalink: pretty\nfuture: true\n', files);
    expect(linked).toBe(3);
    expect(unlinked).toEqual([]);
  }, 120_000);
});
