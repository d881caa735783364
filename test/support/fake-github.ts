// A local server that speaks GitHub's protocols for the sync tests, backed by
// real git repositories: the REST API (repos, commits with the sha media type
// and ETags, recursive trees, the 302 from /tarball), codeload's streamed
// tar.gz (no Content-Length, CORS for render.githubusercontent.com only) and
// raw.githubusercontent.com. Hosts are told apart by the Host header (browsers,
// through host-resolver rules or a proxy) or `x-fake-host` (Node tests).
// Faults can be queued: 500s, dropped connections, truncated bodies, slow
// answers, rate limits.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ArchiveRepo, git, gitAsync } from './git-archive-repo';

export type FaultKind = 'status-500' | 'drop' | 'truncate' | 'slow' | 'rate-limit' | 'not-found';

interface Fault {
  kind: FaultKind;
  host: string;
  pathIncludes: string;
  times: number;
}

export interface LoggedRequest {
  host: string;
  path: string;
  status: number;
  bytes: number;
  authorized: boolean;
}

export const GITHUB_HOSTS = ['api.github.com', 'codeload.github.com', 'raw.githubusercontent.com'];

export class FakeGitHub {
  readonly log: LoggedRequest[] = [];
  private repos = new Map<string, ArchiveRepo>();
  private faults: Fault[] = [];
  /** Tokens GitHub accepts; any other Authorization gets 401. */
  validTokens = new Set<string>(['ghp_valid_test_token']);
  rateLimit = { limit: 60, remaining: 60, reset: Math.floor(Date.now() / 1000) + 3600 };
  slowMs = 2000;
  /** When set, a slow answer waits for this instead of `slowMs` (a test lets it go when it has seen what it waits for). */
  slowUntil: Promise<unknown> | null = null;
  /**
   * Where GitHub cuts a tree listing: 100,000 entries or about 7 MB. The
   * bytes are counted as the entries' JSON without their `url`, so a listing
   * of society's paths stops near 55,000 entries.
   */
  treeLimit = { entries: 100_000, bytes: 7_000_000 };
  private servers: { close(cb: () => void): void; closeAllConnections(): void }[] = [];
  httpPort = 0;
  httpsPort = 0;

  addRepo(owner: string, name: string, repo: ArchiveRepo): void {
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
  }

  fault(kind: FaultKind, host: string, pathIncludes = '', times = 1): void {
    this.faults.push({ kind, host, pathIncludes, times });
  }

  clearLog(): void {
    this.log.length = 0;
  }

  async start(tls?: { key: string; cert: string }): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const http = createHttp(handler);
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    this.httpPort = (http.address() as AddressInfo).port;
    this.servers.push(http);
    if (tls) {
      const https = createHttps(tls, handler);
      await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
      this.httpsPort = (https.address() as AddressInfo).port;
      this.servers.push(https);
    }
    return this;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
  }

  /** A fetch for Node tests that sends GitHub's URLs to this server. */
  fetch = (url: string | URL, init?: RequestInit): Promise<Response> => {
    const target = new URL(url);
    const headers = new Headers(init?.headers);
    headers.set('x-fake-host', target.host);
    return fetch(`http://127.0.0.1:${this.httpPort}${target.pathname}${target.search}`, { ...init, headers, redirect: 'follow' });
  };

  private takeFault(host: string, path: string): FaultKind | null {
    const fault = this.faults.find((f) => f.host === host && path.includes(f.pathIncludes) && f.times > 0);
    if (!fault) return null;
    fault.times--;
    return fault.kind;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = String(req.headers['x-fake-host'] ?? req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    const path = decodeURIComponent(url.pathname);
    const auth = req.headers.authorization;
    const entry: LoggedRequest = { host, path: url.pathname + url.search, status: 0, bytes: 0, authorized: Boolean(auth) };
    this.log.push(entry);
    const send = (status: number, headers: Record<string, string>, body: string | Buffer = '') => {
      entry.status = status;
      entry.bytes = Buffer.byteLength(body);
      res.writeHead(status, headers).end(body);
    };
    const cors: Record<string, string> = host === 'codeload.github.com'
      ? { 'access-control-allow-origin': 'https://render.githubusercontent.com' }
      : { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-RateLimit-Used' };
    if (req.method === 'OPTIONS') {
      return send(204, { ...cors, 'access-control-allow-headers': 'Authorization, Accept, If-None-Match, X-GitHub-Api-Version', 'access-control-allow-methods': 'GET' });
    }

    const fault = this.takeFault(host, url.pathname);
    if (fault === 'drop') {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault === 'status-500') return send(500, { ...cors, 'content-type': 'application/json' }, '{"message":"Server Error"}');
    if (fault === 'slow') await (this.slowUntil ?? new Promise((r) => setTimeout(r, this.slowMs)));

    if (auth && !this.validTokens.has(auth.replace(/^(Bearer|token) /i, ''))) {
      return send(401, { ...cors, 'content-type': 'application/json' }, '{"message":"Bad credentials","status":"401"}');
    }

    if (host === 'api.github.com') {
      const rate = auth ? { limit: 5000, remaining: 4999, reset: this.rateLimit.reset } : this.rateLimit;
      if (fault === 'rate-limit' || (!auth && rate.remaining <= 0)) {
        return send(403, {
          ...cors, 'content-type': 'application/json',
          'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(rate.reset), 'x-ratelimit-used': String(rate.limit),
        }, JSON.stringify({ message: `API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)` }));
      }
      if (!auth) rate.remaining--;
      const rateHeaders = {
        'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': String(Math.max(rate.remaining, 0)),
        'x-ratelimit-reset': String(rate.reset), 'x-ratelimit-used': String(rate.limit - rate.remaining),
      };
      return this.api(path, url, req, (status, headers, body) => send(status, { ...cors, ...rateHeaders, ...headers }, body), fault);
    }
    if (host === 'codeload.github.com') return this.codeload(path, res, entry, cors, fault);
    if (host === 'raw.githubusercontent.com') return this.raw(path, (status, headers, body) => send(status, { ...cors, ...headers }, body), fault);
    return send(404, {}, 'unknown host');
  }

  private repoFor(owner: string, name: string): ArchiveRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  private resolve(repo: ArchiveRepo, ref: string): string | null {
    try {
      return git(repo.dir, 'rev-parse', '--verify', '-q', `${ref}^{commit}`).trim();
    } catch {
      return null;
    }
  }

  private api(path: string, url: URL, req: IncomingMessage, send: (s: number, h: Record<string, string>, b?: string) => void, fault: FaultKind | null) {
    // GitHub's REST answers may be cached a minute (private ones by the user's browser alone).
    const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': `${req.headers.authorization ? 'private' : 'public'}, max-age=60, s-maxage=60` };
    const notFound = () => send(404, json, JSON.stringify({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }));
    const m = /^\/repos\/([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(path);
    const repo = m ? this.repoFor(m[1]!, m[2]!) : undefined;
    if (!m || !repo || fault === 'not-found') return notFound();
    const rest = m[3] ?? '';
    if (rest === '') {
      return send(200, json, JSON.stringify({ name: m[2], full_name: `${m[1]}/${m[2]}`, private: false, default_branch: 'master' }));
    }
    const commit = /^commits\/(.+)$/.exec(rest);
    if (commit) {
      const sha = this.resolve(repo, commit[1]!);
      if (!sha) return send(422, json, JSON.stringify({ message: `No commit found for SHA: ${commit[1]}` }));
      const etag = `"${sha}"`;
      if (req.headers['if-none-match'] === etag) return send(304, { etag });
      if (String(req.headers.accept).includes('application/vnd.github.sha')) return send(200, { etag, 'content-type': 'application/vnd.github.sha' }, sha);
      return send(200, { etag, ...json }, JSON.stringify({ sha }));
    }
    const tree = /^git\/trees\/([0-9a-f]{40})$/.exec(rest);
    if (tree) {
      // GitHub takes any value of `recursive` as yes. Made without blocking this
      // server: GitHub's codeload answers while its API lists a large tree.
      const recursive = url.searchParams.has('recursive');
      void gitAsync(repo.dir, 'ls-tree', ...(recursive ? ['-r', '-t'] : []), '-l', '-z', tree[1]!).then(
        async (listed) => send(200, json, await this.listingBody(tree[1]!, listed)),
        () => notFound(),
      );
      return;
    }
    const tarball = /^tarball\/(.+)$/.exec(rest);
    if (tarball) return send(302, { location: `https://codeload.github.com/${m[1]}/${m[2]}/legacy.tar.gz/${tarball[1]}` });
    return notFound();
  }

  /** A listing's JSON as GitHub cuts it, made a few thousand entries at a time (other requests are answered between). */
  private async listingBody(sha: string, listed: string): Promise<string> {
    const entries: object[] = [];
    let bytes = 0;
    let truncated = false;
    let count = 0;
    for (const line of listed.split('\0')) {
      if (!line) continue;
      if (++count % 5000 === 0) await new Promise((r) => setImmediate(r));
      const [meta, filePath] = [line.slice(0, line.indexOf('\t')), line.slice(line.indexOf('\t') + 1)];
      const [mode, type, entrySha, size] = meta.split(/\s+/);
      const entry = type === 'tree' ? { path: filePath, mode: '040000', type, sha: entrySha } : { path: filePath, mode, type, sha: entrySha, size: Number(size) };
      // GitHub stops a listing at its limits and says so (notes/github.md).
      bytes += JSON.stringify(entry).length;
      if (entries.length >= this.treeLimit.entries || bytes > this.treeLimit.bytes) {
        truncated = true;
        break;
      }
      entries.push({ ...entry, url: `https://api.github.com/repos/x/y/git/${type === 'tree' ? 'trees' : 'blobs'}/${entrySha}` });
    }
    return JSON.stringify({ sha, url: '', tree: entries, truncated });
  }

  private codeload(path: string, res: ServerResponse, entry: LoggedRequest, cors: Record<string, string>, fault: FaultKind | null) {
    const m = /^\/([^/]+)\/([^/]+)\/(?:legacy\.)?tar\.gz\/(.+)$/.exec(path);
    const repo = m ? this.repoFor(m[1]!, m[2]!) : undefined;
    const sha = repo ? this.resolve(repo, m![3]!) : null;
    if (!repo || !sha) {
      entry.status = 404;
      res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('404: Not Found');
      return;
    }
    entry.status = 200;
    // Streamed like codeload: chunked, no Content-Length.
    res.writeHead(200, { ...cors, 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${m![2]}-${sha.slice(0, 7)}.tar.gz` });
    const prefix = `${m![1]}-${m![2]}-${sha.slice(0, 7)}/`;
    const cached = this.tarballs.get(`${repo.dir}|${sha}`);
    if (cached) return void this.streamCached(cached, res, entry, fault);
    const child = spawn('git', ['archive', '--format=tar.gz', `--prefix=${prefix}`, sha], { cwd: repo.dir });
    let sent = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (fault === 'truncate' && sent > 200_000) {
        child.kill();
        res.socket?.destroy();
        return;
      }
      sent += chunk.length;
      entry.bytes = sent;
      res.write(chunk);
    });
    child.on('close', () => res.end());
    res.on('close', () => child.kill());
  }

  // Tarballs made ahead of time (see prepareTarball), as codeload serves archives it has cached.
  private readonly tarballs = new Map<string, Buffer>();

  /**
   * Makes the tarball of a repository's commit now, so that a sync measured
   * later waits for the extension and not for `git archive` compressing a
   * large repository on this machine's two cores.
   */
  prepareTarball(owner: string, name: string, ref = 'HEAD', options: { keep?: boolean } = {}): void {
    const repo = this.repoFor(owner, name);
    const sha = repo ? this.resolve(repo, ref) : null;
    if (!repo || !sha) throw new Error(`no repository ${owner}/${name} at ${ref}`);
    const prefix = `${owner}-${name}-${sha.slice(0, 7)}/`;
    // `keep`: kept beside a shared repository for the next browser's run (society ×32's takes git 1.5 minutes).
    const kept = `${repo.dir}-${owner}-${name}-${sha}.tar.gz`;
    if (options.keep && existsSync(kept)) {
      this.tarballs.set(`${repo.dir}|${sha}`, readFileSync(kept));
      return;
    }
    const body = execFileSync('git', ['archive', '--format=tar.gz', `--prefix=${prefix}`, sha], { cwd: repo.dir, maxBuffer: 1 << 30 });
    if (options.keep) {
      writeFileSync(`${kept}.part`, body);
      renameSync(`${kept}.part`, kept);
    }
    this.tarballs.set(`${repo.dir}|${sha}`, body);
  }

  private async streamCached(body: Buffer, res: ServerResponse, entry: LoggedRequest, fault: FaultKind | null): Promise<void> {
    let sent = 0;
    for (let at = 0; at < body.length && !res.destroyed; at += 64 * 1024) {
      if (fault === 'truncate' && sent > 200_000) {
        res.socket?.destroy();
        return;
      }
      const chunk = body.subarray(at, at + 64 * 1024);
      sent += chunk.length;
      entry.bytes = sent;
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  private raw(path: string, send: (s: number, h: Record<string, string>, b?: string | Buffer) => void, fault: FaultKind | null) {
    const m = /^\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
    const repo = m ? this.repoFor(m[1]!, m[2]!) : undefined;
    const sha = repo ? this.resolve(repo, m![3]!) : null;
    if (!repo || !sha || fault === 'not-found') return send(404, { 'content-type': 'text/plain' }, '404: Not Found');
    try {
      const body = execGitBytes(repo.dir, ['show', `${sha}:${m![4]}`]);
      if (fault === 'truncate') return send(200, { 'content-type': 'text/plain; charset=utf-8' }, body.subarray(0, body.length >> 1));
      return send(200, { 'content-type': 'text/plain; charset=utf-8' }, body);
    } catch {
      return send(404, { 'content-type': 'text/plain' }, '404: Not Found');
    }
  }
}

function execGitBytes(dir: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * For a test file: a FakeGitHub serving a real git repository of the whole
 * NodeBE4/society archive, started once and closed after the file's tests.
 */
export function useSocietyOnGitHub(hooks: { beforeAll: (fn: () => Promise<void>, timeout?: number) => void; afterAll: (fn: () => Promise<void>) => void }): { github: () => FakeGitHub; repo: () => ArchiveRepo } {
  let github: FakeGitHub | undefined;
  let repo: ArchiveRepo | undefined;
  hooks.beforeAll(async () => {
    repo = ArchiveRepo.society();
    github = await new FakeGitHub().start();
    github.addRepo('NodeBE4', 'society', repo);
  }, 120_000);
  hooks.afterAll(async () => {
    await github?.close();
    repo?.dispose();
  });
  return { github: () => github!, repo: () => repo! };
}
