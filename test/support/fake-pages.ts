// A local GitHub Pages: serves a folder (a published index, say) under
// `https://<owner>.github.io/<repo>/` as Pages does: gzip on the way for
// clients that accept it (not for files stored as .gz), a strong `ETag` and `304 Not Modified` for `If-None-Match`,
// `Cache-Control: max-age=600`, `Access-Control-Allow-Origin: *`, and an HTML
// 404 for a missing file. Browsers reach it under the real host name through
// host-resolver rules or a proxy; Node tests by its port. Every request is
// logged, so a test can say what a host learned from a visit.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface PagesRequest {
  path: string;
  status: number;
  /** Bytes of the body as sent (compressed when it was). */
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
}

export class FakePages {
  readonly log: PagesRequest[] = [];
  httpPort = 0;
  httpsPort = 0;
  /** Answers every request with this status instead (a host that is down: 503). */
  failWith: number | null = null;
  private servers: { close(cb: () => void): void; closeAllConnections(): void }[] = [];

  /** `root` is served under `base` ("/society/"). */
  constructor(private readonly root: string, readonly base = '/society/') {}

  async start(tls?: { key: string; cert: string }): Promise<this> {
    const http = createHttp((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    this.httpPort = (http.address() as AddressInfo).port;
    this.servers.push(http);
    if (tls) {
      const https = createHttps(tls, (req, res) => void this.handle(req, res));
      await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
      this.httpsPort = (https.address() as AddressInfo).port;
      this.servers.push(https);
    }
    return this;
  }

  /** The index's address for Node tests. */
  get url(): string {
    return `http://127.0.0.1:${this.httpPort}${this.base}`;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://pages').pathname);
    const logged: PagesRequest = { path, status: 200, bytes: 0, headers: req.headers };
    this.log.push(logged);
    const send = (status: number, headers: Record<string, string>, body?: Buffer) => {
      logged.status = status;
      logged.bytes = body?.length ?? 0;
      res.writeHead(status, { 'access-control-allow-origin': '*', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (this.failWith !== null) return send(this.failWith, { 'content-type': 'text/plain' }, Buffer.from('unavailable'));
    const inside = path.startsWith(this.base) ? normalize(path.slice(this.base.length)) : null;
    const content = inside !== null && !inside.startsWith('..') ? await readFile(join(this.root, inside)).catch(() => null) : null;
    if (!content) return send(404, { 'content-type': 'text/html; charset=utf-8' }, Buffer.from('<!DOCTYPE html><title>Page not found · GitHub Pages</title>'));
    const etag = `"${createHash('sha1').update(content).digest('hex').slice(0, 16)}"`;
    const common = { etag, 'cache-control': 'max-age=600', vary: 'Accept-Encoding', 'last-modified': 'Thu, 03 Dec 2026 00:00:00 GMT' };
    const sent = String(req.headers['if-none-match'] ?? '').split(',').map((s) => s.trim().replace(/^W\//, ''));
    if (sent.includes(etag)) return send(304, common);
    const type = path.endsWith('.gz') ? 'application/gzip' : path.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream';
    // Text is compressed on the way; a .gz file is sent as it is stored.
    if (!path.endsWith('.gz') && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return send(200, { ...common, 'content-type': type, 'content-encoding': 'gzip' }, gzipSync(content));
    return send(200, { ...common, 'content-type': type }, content);
  }
}
