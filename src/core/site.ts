// Where an archive's posts are published, computed as Jekyll computes it from
// `_config.yml` (`url`, `baseurl`, `permalink`), and where their files live.
import { splitFrontMatter, stringField } from './front-matter';

export interface SiteConfig {
  url: string;
  baseurl: string;
  permalink: string;
}

export interface ArchiveRepo {
  owner: string;
  name: string;
  branch: string;
}

/** Reads the top-level scalars we need from `_config.yml` (flat keys only). */
export function parseSiteConfig(yaml: string): SiteConfig {
  const read = splitFrontMatter(`---\n${yaml}\n---\n`);
  const data = read.ok ? read.value.data : {};
  return {
    url: (stringField(data, 'url') ?? '').replace(/\/+$/, ''),
    baseurl: normaliseBaseurl(stringField(data, 'baseurl') ?? ''),
    permalink: stringField(data, 'permalink') || 'date',
  };
}

function normaliseBaseurl(baseurl: string): string {
  const trimmed = baseurl.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

// Jekyll's built-in permalink styles.
const STYLES: Record<string, string> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  weekdate: '/:categories/:year/W:week/:short_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

// Jekyll's `slugify(mode: "pretty", cased: true)`: runs of anything but
// letters, marks, digits and `._~!$&'()+,;=@` become one `-`.
const PRETTY_RE = /[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+/gu;

export function jekyllSlug(text: string): string {
  return text.replace(PRETTY_RE, '-').replace(/^-|-$/g, '');
}

/** The slug Jekyll takes from a post's file name: what follows the date. */
export function slugFromPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const m = /^\d{2,4}-\d{1,2}-\d{1,2}-(.*?)(\.[^.]+)?$/.exec(name);
  return m ? m[1]! : name.replace(/\.[^.]+$/, '');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The published URL of a post. GitHub Pages builds in UTC unless the site
 * sets a timezone, which these archives do not.
 */
export function postUrl(site: SiteConfig, post: { path: string; date: string; tags?: string[] }, categories: string[] = []): string {
  const template = STYLES[site.permalink] ?? site.permalink;
  const d = new Date(post.date);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const values: Record<string, string> = {
    year: String(d.getUTCFullYear()),
    short_year: pad(d.getUTCFullYear() % 100),
    month: pad(d.getUTCMonth() + 1),
    i_month: String(d.getUTCMonth() + 1),
    day: pad(d.getUTCDate()),
    i_day: String(d.getUTCDate()),
    hour: pad(d.getUTCHours()),
    minute: pad(d.getUTCMinutes()),
    second: pad(d.getUTCSeconds()),
    y_day: pad(Math.floor((d.getTime() - start) / 86_400_000) + 1, 3),
    title: jekyllSlug(slugFromPath(post.path)),
    slug: jekyllSlug(slugFromPath(post.path)).toLowerCase(),
    categories: [...new Set(categories.map((c) => c.toLowerCase()))].map(jekyllSlug).join('/'),
    output_ext: '.html',
  };
  let path = template.replace(/:([a-z_]+)/g, (whole, key: string) => values[key] ?? whole);
  // Empty placeholders (no categories) must not leave `//`.
  path = path.replace(/\/{2,}/g, '/');
  return `${site.url}${site.baseurl}${encodeURI(path)}`;
}

/** The post's file in its repository on GitHub. */
export function postFileUrl(repo: ArchiveRepo, path: string): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `https://github.com/${repo.owner}/${repo.name}/blob/${encodeURIComponent(repo.branch)}/${encoded}`;
}
