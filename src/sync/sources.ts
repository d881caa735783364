// Creating source records from what the user typed.
import { parseRepoInput } from '../core/github';
import { userMessage, UserFacingError } from '../core/user-messages';
import { DEFAULT_POST_FOLDERS } from '../core/archive-files';
import type { SourceRecord } from '../db/schema';
import { sourceIdPart } from '../core/source-id';

/** What the user typed cannot make a source; worded in their language where shown. */
export class SourceInputError extends UserFacingError {}

export function githubSource(input: { repository: string; branch?: string; folders?: string }): SourceRecord {
  const parsed = parseRepoInput(input.repository);
  if (!parsed) throw new SourceInputError(userMessage('notARepository'));
  const branch = (input.branch ?? '').trim() || parsed.branch || '';
  const folders = (input.folders ?? '')
    .split(/[,\s]+/)
    .map((f) => f.trim().replace(/^\/+|\/+$/g, ''))
    .filter(Boolean);
  if (folders.some((f) => f.split('/').some((part) => part === '..' || part === '.'))) throw new SourceInputError(userMessage('foldersOutside'));
  const name = `${parsed.owner}/${parsed.repo}`;
  return {
    id: `github:${name.toLowerCase()}${branch ? `@${sourceIdPart(branch)}` : ''}`,
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

/**
 * The hosts a bundle may be read from over plain http: this machine. The
 * manifest's optional host permissions name exactly these (and https), so
 * the extension can never be granted plain http anywhere else.
 */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1'];

export function bundleSource(input: string): SourceRecord {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new SourceInputError(userMessage('bundleAddress'));
  }
  // Plain http is readable and changeable by anyone on the way: only for this machine.
  const local = LOCAL_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new SourceInputError(userMessage('bundleHttps'));
  url.hash = '';
  return {
    id: `bundle:${sourceIdPart(url.href)}`,
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
