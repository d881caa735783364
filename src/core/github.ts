// GitHub as an archive host: naming a repository, its URLs, and what its
// answers mean for a person. Pure: the sync engine does the fetching.

import { userMessage, UserFacingError, type UserMessage } from './user-messages';

export interface RepoRef {
  owner: string;
  repo: string;
}

const NAME_RE = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Reads `owner/repo`, `github.com/owner/repo`, a clone URL or a link to any
 * page of the repository. The branch in a `/tree/<branch>` link is returned too.
 */
export function parseRepoInput(input: string): (RepoRef & { branch?: string }) | null {
  let text = input.trim().replace(/\.git$/, '').replace(/\/+$/, '');
  const ssh = /^git@github\.com:(.+)$/.exec(text);
  if (ssh) text = ssh[1]!;
  let parts: string[];
  if (/^(https?:\/\/)?(www\.)?github\.com\//i.test(text)) {
    try {
      const url = new URL(/^https?:/i.test(text) ? text : `https://${text}`);
      parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return null;
    }
  } else {
    parts = text.split('/');
    if (parts.length !== 2) return null;
  }
  const [owner, repo, kind, ...rest] = parts;
  if (!owner || !repo || !NAME_RE.test(owner) || !NAME_RE.test(repo)) return null;
  if (/^\.+$/.test(owner) || /^\.+$/.test(repo)) return null;
  const branch = kind === 'tree' && rest.length ? rest.join('/') : undefined;
  return branch ? { owner, repo, branch } : { owner, repo };
}

export const API = 'https://api.github.com';
export const CODELOAD = 'https://codeload.github.com';
export const RAW = 'https://raw.githubusercontent.com';

import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const seg = encodeURIComponent;

export const githubUrls = {
  repo: (r: RepoRef) => `${API}/repos/${seg(r.owner)}/${seg(r.repo)}`,
  commit: (r: RepoRef, ref: string) => `${API}/repos/${seg(r.owner)}/${seg(r.repo)}/commits/${seg(ref)}`,
  tree: (r: RepoRef, sha: string, recursive = true) => `${API}/repos/${seg(r.owner)}/${seg(r.repo)}/git/trees/${seg(sha)}${recursive ? '?recursive=1' : ''}`,
  // codeload serves the tarball directly; the API's /tarball answers 302 to it.
  tarball: (r: RepoRef, ref: string) => `${CODELOAD}/${seg(r.owner)}/${seg(r.repo)}/tar.gz/${seg(ref)}`,
  raw: (r: RepoRef, ref: string, path: string) =>
    `${RAW}/${seg(r.owner)}/${seg(r.repo)}/${seg(ref)}/${path.split('/').map(seg).join('/')}`,
};

export interface RateLimit {
  limit: number;
  remaining: number;
  /** Epoch milliseconds when the window resets. */
  resetAt: number;
}

export function readRateLimit(headers: { get(name: string): string | null }): RateLimit | null {
  const limit = Number(headers.get('x-ratelimit-limit'));
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (!headers.get('x-ratelimit-limit') || !Number.isFinite(limit) || !Number.isFinite(remaining)) return null;
  return { limit, remaining, resetAt: Number.isFinite(reset) ? reset * 1000 : 0 };
}

export type SyncErrorKind =
  | 'offline'
  | 'server'
  | 'not-found'
  | 'unauthorized'
  | 'rate-limited'
  | 'empty'
  | 'blocked'
  | 'not-an-archive'
  | 'bad-archive'
  | 'forbidden'
  | 'too-large'
  | 'storage-full'
  | 'storage-limit'
  | 'cancelled'
  | 'other';

/** A failure the user is told about (a message code, worded in their language where shown), and whether trying again may help. */
export class SyncError extends UserFacingError {
  constructor(
    readonly kind: SyncErrorKind,
    message: UserMessage,
    readonly transient = false,
    readonly retryAt?: number,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** What an HTTP answer from GitHub means, or null when it is a success. */
export function classifyResponse(
  status: number,
  headers: { get(name: string): string | null },
  body: string,
  context: { repo: string; hasToken: boolean },
): SyncError | null {
  if (status < 400) return null;
  const rate = readRateLimit(headers);
  const message = safeMessage(body);
  if (status === 429 || (status === 403 && (rate?.remaining === 0 || /rate limit/i.test(message)))) {
    const retryAfter = Number(headers.get('retry-after'));
    const at = rate?.resetAt || (Number.isFinite(retryAfter) && retryAfter > 0 ? Date.now() + retryAfter * 1000 : undefined);
    const until = at ? new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : '';
    const words = until
      ? userMessage(context.hasToken ? 'githubRateLimitedUntil' : 'githubRateLimitedUntilHint', until)
      : userMessage(context.hasToken ? 'githubRateLimited' : 'githubRateLimitedHint');
    return new SyncError('rate-limited', words, false, at);
  }
  if (status === 401) return new SyncError('unauthorized', userMessage('githubTokenRefused'));
  if (status === 404) return new SyncError('not-found', userMessage(context.hasToken ? 'githubNotFoundWithToken' : 'githubNotFound', context.repo));
  if (status === 409) return new SyncError('empty', userMessage('githubEmpty', context.repo));
  if (status === 451) return new SyncError('blocked', userMessage('githubBlocked', context.repo));
  if (status === 403) return new SyncError('forbidden', message ? userMessage('githubForbiddenSays', context.repo, message) : userMessage('githubForbidden', context.repo));
  if (status >= 500) return new SyncError('server', userMessage('githubServer', status), true);
  return new SyncError('other', message ? userMessage('githubOtherSays', status, message) : userMessage('githubOther', status));
}

function safeMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message.slice(0, 200) : '';
  } catch {
    return '';
  }
}

/**
 * `git hash-object`: sha1("blob <length>\0" + bytes), as GitHub's tree lists
 * it. Synchronous and without a copy: crypto.subtle wants one buffer and a
 * promise a file, and hashing the 87,000 files a cut listing leaves out took
 * the worker 8 s that way, against about 1 s with @noble/hashes.
 */
export function gitBlobSha(bytes: Uint8Array): string {
  const header = `blob ${bytes.length}\0`;
  const head = new Uint8Array(header.length);
  for (let i = 0; i < header.length; i++) head[i] = header.charCodeAt(i);
  return bytesToHex(sha1.create().update(head).update(bytes).digest());
}
