// Syncing a bundle URL: one static file written by `archive-lens bundle`,
// fetched with conditional requests (ETag / Last-Modified), streamed,
// decompressed and saved in batches like a GitHub tarball.
import { BundleFormatError, readBundle, type BundleHeader } from '../core/bundle';
import { gitBlobSha, SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';
import { parsePost } from '../core/post';
import { BatchWriter, type ReadFile } from '../db/staging';
import { commitFull } from '../db/commit';
import { discardJob, nextGeneration } from '../db/generations';
import type { JobRecord, SourceRecord } from '../db/schema';
import type { SyncContext, SyncOutcome } from './github-sync';
import { archiveTooLarge, capped, gunzip, MAX_ARCHIVE_BYTES, type Http } from './http';
import { estimateEta, type SyncPhase } from './progress';

const BATCH = 500;

export function classifyBundleResponse(status: number, host: string): SyncError | null {
  if (status < 400) return null;
  if (status === 404 || status === 410) return new SyncError('not-found', userMessage('bundleNotFound', host, status));
  if (status === 401 || status === 403) return new SyncError('forbidden', userMessage('bundleForbidden', host, status));
  if (status === 429) return new SyncError('rate-limited', userMessage('bundleRateLimited', host), true);
  if (status >= 500) return new SyncError('server', userMessage('bundleServer', host, status), true);
  return new SyncError('other', userMessage('bundleOther', host, status));
}

/** Peeks at the first bytes: bundles are gzip'd files, unless the server already decoded them. */
async function* maybeGunzip(chunks: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  const first = await chunks.next();
  if (first.done) return;
  async function* all() {
    yield first.value!;
    yield* chunks;
  }
  if (first.value![0] === 0x1f && first.value![1] === 0x8b) yield* gunzip(all());
  else yield* all();
}

export async function syncBundle(ctx: SyncContext, source: SourceRecord): Promise<SyncOutcome> {
  const url = source.bundleUrl!;
  const host = new URL(url).host;
  const http: Http = ctx.http;
  const startedAt = (ctx.now ?? Date.now)();
  let phase: SyncPhase = 'checking';
  let total = 0;
  let done = 0;
  const report = () =>
    ctx.report({
      sourceId: source.id, phase, done, total, startedAt, message: '', bytes: http.bytes, requests: http.requests,
      etaMs: estimateEta(done, total, startedAt, Date.now()),
    });
  report();
  const conditional: Record<string, string> = {};
  if (source.importedAt > 0 && source.etag) conditional['if-none-match'] = source.etag;
  if (source.importedAt > 0 && source.lastModified) conditional['if-modified-since'] = source.lastModified;

  // A bundle download cannot resume mid-file: what a stopped worker left is dropped first.
  const left = await ctx.db.jobs.get(source.id);
  if (left) await discardJob(ctx.db, left);
  const job: JobRecord = {
    id: source.id, sourceId: source.id, mode: 'full', gen: await nextGeneration(ctx.db, source), commitSha: '', branch: '', moves: [], remove: [], fetch: [],
    total: 0, startedAt, requests: 0, bytes: 0,
  };
  let header: BundleHeader | null = null;
  await ctx.db.jobs.put(job);
  try {
    return await http.retrying(async () => {
      await discardJob(ctx.db, job); // a retried download starts clean
      await ctx.db.jobs.put(job);
      done = 0;
      const res = await http.get(url, conditional, { repo: host, hasToken: false }, (status) => classifyBundleResponse(status, host));
      if (res.status === 304) {
        // Nothing to resume: a job left here would be resumed, and the host asked again, at every start of the worker.
        await discardJob(ctx.db, job);
        return { result: 'up-to-date' } as const;
      }
      phase = 'reading';
      let batch: ReadFile[] = [];
      const writer = new BatchWriter(ctx.db, job);
      try {
        for await (const item of readBundle(capped(maybeGunzip(http.chunks(res)), MAX_ARCHIVE_BYTES, () => archiveTooLarge(url)))) {
          if (item.kind === 'header') {
            header = item.header;
            total = job.total = header.files;
            continue;
          }
          if (item.kind === 'bad-line') {
            const path = `line ${item.line}`;
            batch.push({ path, sha: '', result: { ok: false, error: { path, reason: 'not-utf8', message: item.message } } });
          } else {
            const bytes = new TextEncoder().encode(item.file.text);
            batch.push({ path: item.file.path, sha: gitBlobSha(bytes), result: parsePost(item.file.text, item.file.path, { timeZone: header?.site?.timezone }) });
          }
          done++;
          if (batch.length >= BATCH) {
            await writer.write({ read: batch });
            batch = [];
            report();
          }
        }
        await writer.write({ read: batch });
        await writer.done();
      } catch (error) {
        const writeFailure = await writer.failure();
        if (writeFailure instanceof SyncError) throw writeFailure;
        if (http.signal.aborted || error instanceof SyncError) throw error;
        if (error instanceof BundleFormatError) throw new SyncError('bad-archive', userMessage('bundleUnreadable', url, error.message));
        throw new SyncError('offline', userMessage('downloadBrokeFrom', host), true);
      }
      if (!header) throw new SyncError('bad-archive', userMessage('bundleNotABundle', url));
      phase = 'saving';
      report();
      job.site = header.site;
      if (header.repo) await ctx.db.sources.update(source.id, { repo: header.repo });
      const counts = await commitFull(ctx.db, job, (await ctx.db.sources.get(source.id)) ?? source, http.signal);
      await ctx.db.sources.update(source.id, {
        etag: res.headers.get('etag') ?? undefined,
        lastModified: res.headers.get('last-modified') ?? undefined,
      });
      return { result: 'updated', counts, mode: 'full' } as const;
    });
  } catch (error) {
    await discardJob(ctx.db, job);
    throw error;
  }
}
