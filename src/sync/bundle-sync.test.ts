// A bundle written by `archive-lens bundle`, served by a local static host
// with ETags, synced with conditional requests.
import { countStored } from '../../test/support/stored-posts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SOCIETY_TARBALL } from '../../test/support/archives';
import { main } from '../cli/archive-lens';
import { lookupVideo } from '../db/queries';
import { openArchive, type ArchiveDb } from '../db/schema';
import { syncBundle } from './bundle-sync';
import { Http } from './http';
import { bundleSource } from './sources';

let server: Server;
let base = '';
let bundle: Buffer;
const files: Record<string, Buffer> = {};
const log: { path: string; status: number }[] = [];
let db: ArchiveDb;
let n = 0;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'archivelens-bundle-'));
  const out = join(dir, 'society.ndjson.gz');
  const sink = { write: () => true } as never;
  expect(await main(['bundle', SOCIETY_TARBALL, '-o', out, '--repo', 'NodeBE4/society@master'], sink, sink)).toBe(0);
  bundle = readFileSync(out);
  rmSync(dir, { recursive: true, force: true });
  files['/archive.ndjson.gz'] = bundle;
  files['/not-a-bundle.ndjson.gz'] = gzipSync('{"hello":"world"}\n');
  files['/cut.ndjson.gz'] = bundle.subarray(0, bundle.length >> 1);
  server = createServer((req, res) => {
    const body = files[req.url ?? ''];
    const etag = body ? `"${body.length}"` : '';
    const status = !body ? 404 : req.headers['if-none-match'] === etag ? 304 : 200;
    log.push({ path: req.url ?? '', status });
    if (status !== 200) return res.writeHead(status, etag ? { etag } : {}).end();
    res.writeHead(200, { etag, 'content-type': 'application/gzip' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  db = openArchive(`bundle-${++n}`);
  log.length = 0;
});

async function sync(url: string) {
  const source = (await db.sources.get(bundleSource(url).id)) ?? bundleSource(url);
  await db.sources.put(source);
  const http = new Http({ fetch: (u, i) => fetch(u, i), signal: new AbortController().signal, backoffMs: [1] });
  return syncBundle({ db, http, token: null, report: () => {} }, source);
}

describe('bundle URL sources', () => {
  it('syncs the whole society archive from one bundle, with repository links, then answers "up to date" with a 304', async () => {
    const first = await sync(`${base}/archive.ndjson.gz`);
    expect(first).toMatchObject({ result: 'updated', counts: { added: 15271 } });
    const { archived } = await lookupVideo(db, 'GorsYGIeIK4');
    expect(archived[0]!.fileUrl).toMatch(/^https:\/\/github\.com\/NodeBE4\/society\/blob\/master\/_posts\//);
    expect(archived[0]!.postUrl).toBeNull(); // the tarball has no _config.yml
    log.length = 0;
    expect(await sync(`${base}/archive.ndjson.gz`)).toEqual({ result: 'up-to-date' });
    expect(log).toEqual([{ path: '/archive.ndjson.gz', status: 304 }]);
    // Nothing left to resume: a job left behind made every start of the worker ask the bundle's host again.
    expect(await db.jobs.count()).toBe(0);
  }, 120_000);

  it('says clearly when the address has no bundle or is not a bundle, and keeps the archive', async () => {
    await expect(sync(`${base}/missing.ndjson.gz`)).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('no bundle at this address') });
    await expect(sync(`${base}/not-a-bundle.ndjson.gz`)).rejects.toMatchObject({ kind: 'bad-archive', message: expect.stringContaining('not an ArchiveLens bundle') });
    await expect(sync(`${base}/cut.ndjson.gz`)).rejects.toMatchObject({ transient: true });
    expect(await countStored(db)).toBe(0);
    expect(await db.staged.count()).toBe(0);
  }, 60_000);
});
