// Creating source records from what the user typed.
import { parseRepoInput } from '../core/github';
import { DEFAULT_POST_FOLDERS } from '../core/archive-files';
import type { SourceRecord } from '../db/schema';

export class SourceInputError extends Error {}

export function githubSource(input: { repository: string; branch?: string; folders?: string }): SourceRecord {
  const parsed = parseRepoInput(input.repository);
  if (!parsed) throw new SourceInputError('Enter a repository as owner/name (for example NodeBE4/teahouse) or its GitHub address.');
  const branch = (input.branch ?? '').trim() || parsed.branch || '';
  const folders = (input.folders ?? '')
    .split(/[,\s]+/)
    .map((f) => f.trim().replace(/^\/+|\/+$/g, ''))
    .filter(Boolean);
  if (folders.some((f) => f.includes('..'))) throw new SourceInputError('Folders must be inside the repository.');
  const name = `${parsed.owner}/${parsed.repo}`;
  return {
    id: `github:${name.toLowerCase()}${branch ? `@${branch}` : ''}`,
    kind: 'github',
    name: branch ? `${name} (${branch})` : name,
    repo: { owner: parsed.owner, name: parsed.repo, branch: branch || 'HEAD' },
    site: null,
    postCount: 0,
    failureCount: 0,
    importedAt: 0,
    github: { owner: parsed.owner, repo: parsed.repo, branch, folders: folders.length ? folders : [...DEFAULT_POST_FOLDERS] },
    failures: [],
  };
}

export function bundleSource(input: string): SourceRecord {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new SourceInputError('Enter the full address of the bundle, starting with https://');
  }
  // Plain http is readable and changeable by anyone on the way: only for this machine.
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new SourceInputError('A bundle address starts with https://');
  url.hash = '';
  return {
    id: `bundle:${url.href}`,
    kind: 'bundle',
    name: `${url.host}${url.pathname}`,
    repo: null,
    site: null,
    postCount: 0,
    failureCount: 0,
    importedAt: 0,
    bundleUrl: url.href,
    failures: [],
  };
}

/** The host permission a bundle source needs (asked for when it is added). */
export function bundleOrigin(url: string): string {
  return `${new URL(url).origin}/*`;
}
