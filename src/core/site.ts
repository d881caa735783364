// Where an archive's posts are published, computed as Jekyll computes it from
// `_config.yml` (`url`, `baseurl`, `permalink`), and where their files live.
// Everything here comes from an archive, written by strangers: it is checked
// into typed values once, at the edge (`parseSiteConfig`, `validSiteConfig`,
// `validRepo`), and never used as an object key unchecked.
import { validTimeZone, zonedParts } from './dates';
import { booleanField, listField, splitFrontMatter, stringField } from './front-matter';

export interface SiteConfig {
  /** An http(s) origin (and path), without a trailing slash, or '' when unknown. */
  url: string;
  baseurl: string;
  permalink: string;
  /** The site's `timezone:` (IANA name), when it sets a valid one. */
  timezone?: string;
  /** `exclude:` and `include:` as the config lists them (Jekyll builds no page under an excluded path). */
  exclude?: string[];
  include?: string[];
  /** `future: true`: Jekyll builds posts dated after the build too (by default it leaves them out). */
  future?: true;
}

export interface ArchiveRepo {
  owner: string;
  name: string;
  branch: string;
}

const MAX_FIELD = 2000;

/** Reads the top-level scalars we need from `_config.yml` (flat keys only). */
export function parseSiteConfig(yaml: string): SiteConfig {
  const read = splitFrontMatter(`---\n${yaml}\n---\n`);
  if (!read.ok) return { url: '', baseurl: '', permalink: 'date' };
  const data = read.value.data;
  const site = siteFrom(stringField(data, 'url'), stringField(data, 'baseurl'), stringField(data, 'permalink'), stringField(data, 'timezone'), listField(data, 'exclude'), listField(data, 'include'));
  if (booleanField(data, 'future') === true) site.future = true;
  return site;
}

/** A site configuration from stored or downloaded data (a bundle header), or null when it is not one. */
export function validSiteConfig(value: unknown): SiteConfig | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const field = (key: string) => (Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const site = siteFrom(text(field('url')), text(field('baseurl')), text(field('permalink')), text(field('timezone')), list(field('exclude')), list(field('include')));
  if (field('future') === true) site.future = true;
  return site;
}

/** Most `exclude:`/`include:` entries kept, and their longest. */
const MAX_PATTERNS = 200;
const MAX_PATTERN = 200;

function patterns(list: string[]): string[] {
  return list.map((p) => p.trim()).filter((p) => p && p.length <= MAX_PATTERN).slice(0, MAX_PATTERNS);
}

function siteFrom(url = '', baseurl = '', permalink = '', timezone?: string, exclude: string[] = [], include: string[] = []): SiteConfig {
  const site: SiteConfig = {
    url: normaliseUrl(url),
    baseurl: normaliseBaseurl(baseurl),
    permalink: permalink.trim().slice(0, MAX_FIELD) || 'date',
  };
  const zone = validTimeZone(timezone);
  if (zone) site.timezone = zone;
  if (patterns(exclude).length) site.exclude = patterns(exclude);
  if (patterns(include).length) site.include = patterns(include);
  return site;
}

const MAX_WILDCARDS = 6;

/**
 * Patterns made into expressions, kept: every post a search or lookup shows
 * tests its folders against its site's `exclude:` list, and making the
 * expressions anew each time was a millisecond of each search at ×32.
 * Bounded (a config keeps at most MAX_PATTERNS); null for a pattern that matches nothing.
 */
const compiled = new Map<string, RegExp | null>();
const COMPILED_KEPT = 1_000;

/** Ruby's `File.fnmatch?` without flags: `*` matches anything (slashes too), `?` one character, `[…]` a class. */
function fnmatch(pattern: string, path: string): boolean {
  let re = compiled.get(pattern);
  if (re === undefined) {
    if (compiled.size >= COMPILED_KEPT) compiled.clear();
    compiled.set(pattern, (re = patternExpression(pattern)));
  }
  return re !== null && re.test(path);
}

function patternExpression(pattern: string): RegExp | null {
  // A config is written by strangers: many wildcards in a row would backtrack without end.
  if ((pattern.match(/[*?]/g)?.length ?? 0) > MAX_WILDCARDS) return null;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return null;
  }
}

/** Jekyll's post file names: a date, a slug, an extension. */
const POST_NAME = /^\d{2,4}-\d{1,2}-\d{1,2}-.+\.[^.]+$/;

/**
 * Whether Jekyll builds a page for the post at this path, as its reader
 * decides (EntryFilter): the file is in a `_posts` folder and has a post's
 * name; no folder on the way is excluded (`exclude:` entries match a path by
 * `File.fnmatch?` or as its start, unless `include:` names them) or special
 * (a name starting with `_` or `.`, other than `_posts`, unless included).
 * Archives exclude whole folders (society excludes `archived/`, where most of
 * its posts are): a link there would lead nowhere.
 */
export function siteBuilds(site: SiteConfig, path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1]!;
  const dirs = parts.slice(0, -1);
  if (!dirs.includes('_posts') || !POST_NAME.test(name)) return false;
  const include = site.include ?? [];
  const exclude = (site.exclude ?? []).filter((p) => !include.includes(p));
  const included = (entry: string) => include.some((p) => fnmatch(p, entry) || entry.startsWith(p));
  for (let i = 1; i <= parts.length; i++) {
    const entry = parts.slice(0, i).join('/');
    const base = parts[i - 1]!;
    if ((base.startsWith('.') || base.startsWith('_') || base.startsWith('#') || base.endsWith('~')) && base !== '_posts' && !included(entry)) return false;
    if (exclude.some((p) => fnmatch(p, entry) || entry.startsWith(p))) return false;
  }
  return true;
}

/** A post's categories from its folders (`a/b/_posts/x.md`: a, b), as Jekyll adds them. */
export function folderCategories(path: string): string[] {
  const parts = path.split('/');
  const at = parts.lastIndexOf('_posts');
  return at > 0 ? parts.slice(0, at) : [];
}

/** Only an http(s) address can become a link. */
function normaliseUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  if (!trimmed || trimmed.length > MAX_FIELD) return '';
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? trimmed : '';
  } catch {
    return '';
  }
}

function normaliseBaseurl(baseurl: string): string {
  const trimmed = baseurl.trim().replace(/\/+$/, '');
  if (!trimmed || trimmed.length > MAX_FIELD) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

const REPO_NAME_RE = /^[A-Za-z0-9_.-]{1,100}$/;

/** A repository named by stored or downloaded data, or null when it is not a GitHub name. */
export function validRepo(value: unknown): ArchiveRepo | null {
  if (typeof value !== 'object' || value === null) return null;
  const { owner, name, branch } = value as Record<string, unknown>;
  if (typeof owner !== 'string' || typeof name !== 'string' || typeof branch !== 'string') return null;
  if (!REPO_NAME_RE.test(owner) || !REPO_NAME_RE.test(name) || /^\.+$/.test(owner) || /^\.+$/.test(name)) return null;
  if (!branch || branch.length > 255) return null;
  return { owner, name, branch };
}

/** Text made safe for URI encoding: a lone surrogate (a cut emoji) becomes U+FFFD instead of throwing. */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

// Jekyll's built-in permalink styles.
const STYLES = new Map<string, string>([
  ['date', '/:categories/:year/:month/:day/:title:output_ext'],
  ['pretty', '/:categories/:year/:month/:day/:title/'],
  ['ordinal', '/:categories/:year/:y_day/:title:output_ext'],
  ['weekdate', '/:categories/:year/W:week/:short_day/:title:output_ext'],
  ['none', '/:categories/:title:output_ext'],
]);

// Jekyll's `slugify(mode: "pretty", cased: true)`: runs of anything but
// letters, marks, digits and `._~!$&'()+,;=@` become one `-`.
const PRETTY_RE = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu;

export function jekyllSlug(text: string): string {
  return text.replace(PRETTY_RE, '-').replace(/^-|-$/g, '');
}

// Jekyll's `slugify` in its default mode (`:slug`): runs of anything but letters, marks and digits become one `-`.
const DEFAULT_RE = /[^\p{M}\p{L}\p{Nd}]+/gu;

function defaultSlug(text: string): string {
  return text.replace(DEFAULT_RE, '-').replace(/^-|-$/g, '').toLowerCase();
}

/** The slug Jekyll takes from a post's file name: what follows the date, without trailing periods. */
export function slugFromPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const m = /^\d{2,4}-\d{1,2}-\d{1,2}-(.*?)(\.[^.]+)?$/.exec(name);
  return (m ? m[1]! : name.replace(/\.[^.]+$/, '')).replace(/\.+$/, '');
}

/** What a post says of its own URL (front matter), as stored with it. */
export interface PostUrlFields {
  path: string;
  date: string;
  /** Front matter `permalink:`: a template of its own, in place of the site's. */
  permalink?: string;
  /** Front matter `slug:`, in place of the file name's. */
  slug?: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The published URL of a post. Jekyll computes the date parts in the site's
 * `timezone:`, or UTC (GitHub Pages builds in UTC) when there is none.
 */
export function postUrl(site: SiteConfig, post: PostUrlFields, categories: string[] = []): string {
  // A post's own `permalink:` is used as written (no named styles), with the same placeholders.
  const template = post.permalink ?? STYLES.get(site.permalink) ?? String(site.permalink);
  const time = new Date(post.date).getTime();
  const d = zonedParts(Number.isFinite(time) ? time : 0, site.timezone ?? null);
  const dayOfYear = Math.floor((Date.UTC(d.year, d.month - 1, d.day) - Date.UTC(d.year, 0, 1)) / 86_400_000) + 1;
  const name = post.slug ?? slugFromPath(post.path);
  const slug = jekyllSlug(name);
  const values = new Map<string, string>([
    ['year', String(d.year)],
    ['short_year', pad(d.year % 100)],
    ['month', pad(d.month)],
    ['i_month', String(d.month)],
    ['day', pad(d.day)],
    ['i_day', String(d.day)],
    ['hour', pad(d.hour)],
    ['minute', pad(d.minute)],
    ['second', pad(d.second)],
    ['y_day', pad(dayOfYear, 3)],
    ['title', slug],
    ['slug', defaultSlug(name)],
    // Lower-cased, not slugified (Jekyll's oracle: `大牛In China` is `/大牛in%20china/`).
    ['categories', [...new Set(categories.map((c) => c.toLowerCase()))].join('/')],
    ['output_ext', '.html'],
  ]);
  let path = template.replace(/:([a-z_]+)/g, (whole, key: string) => values.get(key) ?? whole);
  // As Jekyll's URL#sanitize_url: `..` becomes `/`, `./` goes, no `//` (empty placeholders), a leading `/`.
  path = `/${path}`.replace(/\.\./g, '/').replace(/\.\//g, '').replace(/\/{2,}/g, '/');
  return `${site.url}${encodeURI(wellFormed(site.baseurl + path))}`;
}

/** The post's file in its repository on GitHub. */
export function postFileUrl(repo: ArchiveRepo, path: string): string {
  const encoded = wellFormed(path).split('/').map(encodeURIComponent).join('/');
  return `https://github.com/${repo.owner}/${repo.name}/blob/${encodeURIComponent(wellFormed(repo.branch))}/${encoded}`;
}
