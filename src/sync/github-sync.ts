// Syncing one GitHub source. The first sync downloads one tarball of the
// commit and streams it (decompress, read the tar, parse, save in batches) so
// memory stays flat whatever the archive's size. Later syncs ask one cheap
// question (has the branch moved? with If-None-Match), then compare the
// tree's blob shas with what is stored and fetch only new and changed posts
// from raw.githubusercontent.com (not rate limited).
import { nextTask } from './next-task';
import { githubUrls, SyncError, type RepoRef } from '../core/github';
import { userMessage } from '../core/user-messages';
import { isPostFile } from '../core/archive-files';
import { readEntry, MAX_POST_BYTES, type ReadFile } from '../core/read-entry';
import { parseSiteConfig, validSiteConfig, type SiteConfig } from '../core/site';
import { planSync, type KnownFile } from '../core/sync-plan';
import { ShaTable } from '../core/sha-table';
import { readTar, TarFormatError } from '../core/tar';
import { gitMode, TreeHasher } from '../core/git-tree';
import { BatchWriter, forgetLiveIndex, isQuotaError, jobEngine, stageBatch, stagedPaths, storageFull, type JobRef } from '../db/staging';
import { EngineLost } from '../engine/link';
import type { HeldBatch, ParseFile, RawFile, UnpackedEntry } from '../engine/protocol';
import { unpackedBy } from './unpacked';
import { commitFull, commitIncremental, type SyncCounts } from '../db/commit';
import { discardJob, nextGeneration } from '../db/generations';
import { filesOf } from '../db/files';
import { beginFileTally } from '../db/file-tally';
import type { ArchiveDb, GithubSourceConfig, JobRecord, SourceRecord } from '../db/schema';
import { readListing, type Listing } from './tree-listing';
import { walkTrees } from './tree-walk';
import { archiveTooLarge, capped, gunzip, Http, MAX_ARCHIVE_BYTES } from './http';
import { copyToDisk, dropCopy, RUNNING_AHEAD_BYTES, spoolingWhenAhead, type Spool, type SpoolUse } from './spool';
import { estimateEta, type SyncPhase, type SyncProgress } from './progress';
import { StageClock } from '../core/stages';
import { TextMap } from '../core/text-keys';

export interface SyncContext {
  db: ArchiveDb;
  http: Http;
  token: string | null;
  report: (progress: SyncProgress) => void;
  now?: () => number;
  /** Posts saved per transaction of a full sync (BATCH when not said; see sync-manager.ts). */
  batch?: number;
  /** Starts the worker a full sync parses and indexes in (background/engine-host.ts), and gives what to call when done; without it, this thread does the work. */
  startEngine?: () => Promise<() => void>;
  /**
   * Where a tarball's download is kept on disk, to be read from there when
   * the network outruns the sync, for a browser whose fetch would hold all of
   * it in memory (sync/spool.ts); without it, a download is always read as it
   * streams. `paced` says of a download that it comes only as fast as it is
   * read (Chromium, with background/download-pacing.ts): it never runs ahead,
   * so it is never kept. `aheadBytes` and `aheadMs` for tests.
   */
  spool?: { store: Spool; paced?: (response: Response) => boolean; aheadBytes?: number; aheadMs?: number };
}

export type SyncOutcome = { result: 'up-to-date' } | { result: 'updated'; counts: SyncCounts; mode: 'full' | 'incremental' };

/** Above this many changed files one tarball is cheaper than single files. */
export const INCREMENTAL_LIMIT = 1000;
const BATCH = 500;
/**
 * A batch ends once its posts' bytes pass this much a post of the batch's
 * count (society's posts average 0.9 KB): a batch of larger posts holds as
 * much text as one of society's, not three times as much (real archives'
 * posts average about three times society's, and a batch is held parsed, as
 * records and as their packs' text until it is saved).
 */
const BATCH_POST_BYTES = 1024;
const RAW_CONCURRENCY = 6;

export async function syncGithub(ctx: SyncContext, source: SourceRecord): Promise<SyncOutcome> {
  const config = source.github!;
  const repo: RepoRef = { owner: config.owner, repo: config.repo };
  const now = ctx.now ?? Date.now;
  const startedAt = now();
  let phase: SyncPhase = 'checking';
  const report = (done = 0, total = 0, message = '') =>
    ctx.report({
      sourceId: source.id, phase, done, total, message, startedAt,
      bytes: ctx.http.bytes, requests: ctx.http.requests,
      etaMs: estimateEta(done, total, startedAt, now()),
    });
  report();

  // A job left by a stopped service worker is resumed, not restarted.
  let job = await ctx.db.jobs.get(source.id);
  let shas: ShaTable | undefined;
  let listing: Promise<Listing> | undefined;
  if (!job) {
    const planned = await planJob(ctx, source, startedAt, (p) => (phase = p), report);
    if (!planned) return { result: 'up-to-date' };
    ({ job, shas, listing } = planned);
  }

  const running: JobRecord = job;
  const clock = new StageClock();
  const releaseEngine = running.mode === 'full' ? await ctx.startEngine?.() : undefined;
  try {
    // A job planned by an older version lists its files, shas included.
    const read = running.mode === 'full' ? await readTarball(ctx, repo, running, config, shas ?? ShaTable.of(running.fetch), (p) => (phase = p), report, clock, listing)
      : { site: await readChanges(ctx, repo, running, source, (p) => (phase = p), report) };
    const { site } = read;
    if (site !== undefined) running.site = site;
    // Read: the engine stays only while the live index's session needs it (until the
    // commit writes the index), not through the commit's merge. In Firefox its worker,
    // idle then, still held the garbage of the whole read (197 MiB of 770 as a ×32
    // sync committed, about:memory), which an idle worker never collects.
    releaseEngine?.();
    phase = 'saving';
    report(running.total, running.total);
    const fresh = (await ctx.db.sources.get(source.id)) ?? source;
    const counts = await clock.time('commit', () => running.mode === 'full'
      ? commitFull(ctx.db, running, fresh, ctx.http.signal, { clock }).catch((error: unknown) => {
        throw error instanceof EngineLost ? engineStopped(running) : error;
      })
      : commitIncremental(ctx.db, running, fresh, ctx.http.signal));
    // The folders read: a full sync reads the tarball with today's folders; an incremental job
    // fetches what was listed when it was planned (a folder added since is read next time).
    const folders = running.mode === 'full' ? config.folders : (running.folders ?? config.syncedFolders ?? config.folders);
    await ctx.db.sources.update(source.id, { etag: running.etag, 'github.syncedFolders': [...folders] });
    const parsedIn = 'parsedIn' in read ? { parsedIn: read.parsedIn } : {};
    return { result: 'updated', counts: { ...counts, stages: clock.toJSON(), ...parsedIn }, mode: running.mode };
  } catch (error) {
    // Permanent failures and cancellation discard what was read; the job of a
    // stopped worker is kept (this code does not run then) and resumed later.
    if (!(error instanceof SyncError) || !error.transient) await discardJob(ctx.db, running);
    throw error;
  } finally {
    releaseEngine?.();
  }
}

/**
 * Asks GitHub whether the branch moved and plans the job: a full sync (one
 * tarball, with the listing's shas as a compact table) or the files to
 * fetch. Null when nothing changed. The tree listing is let go when this
 * returns: at 122,000 files it is tens of MiB that a suspended caller would
 * otherwise hold for the whole sync. A first sync's listing is still being
 * read when this returns (`listing`: only its sha table is kept).
 */
async function planJob(ctx: SyncContext, source: SourceRecord, startedAt: number, setPhase: SetPhase, report: Report): Promise<{ job: JobRecord; shas?: ShaTable; listing?: Promise<Listing> } | null> {
  const config = source.github!;
  const repo: RepoRef = { owner: config.owner, repo: config.repo };
  const label = `${config.owner}/${config.repo}`;
  const api = apiHeaders(ctx.token);
  const context = { repo: label, hasToken: Boolean(ctx.token) };
  let branch = config.branch || config.defaultBranch;
  if (!branch) {
    const res = await ctx.http.retrying(() => ctx.http.get(githubUrls.repo(repo), api, context));
    branch = String((JSON.parse(await ctx.http.text(res)) as { default_branch?: string }).default_branch ?? 'main');
    await ctx.db.sources.update(source.id, { github: { ...config, defaultBranch: branch } });
  }
  // Has anything changed? `application/vnd.github.sha` answers the bare sha;
  // with If-None-Match an unchanged branch is a tiny 304. Other folders than
  // the stored files were read from must be read whatever the branch did.
  const foldersChanged = !sameFolders(config.syncedFolders ?? config.folders, config.folders);
  const conditional: Record<string, string> = source.etag && source.commitSha && !foldersChanged ? { 'if-none-match': source.etag } : {};
  const head = await ctx.http.retrying(() =>
    ctx.http.get(githubUrls.commit(repo, branch), { ...api, accept: 'application/vnd.github.sha', ...conditional }, context),
  );
  if (head.status === 304) return null;
  const commitSha = (await ctx.http.text(head)).trim();
  if (!/^[0-9a-f]{40}$/.test(commitSha)) throw new SyncError('other', userMessage('githubNoCommit', `${label}@${branch}`));
  const etag = head.headers.get('etag') ?? undefined;
  if (commitSha === source.commitSha && !foldersChanged) {
    await ctx.db.sources.update(source.id, { etag });
    return null;
  }

  // The visible generation's files only: a generation left behind is not what the user sees.
  const stored = [...(await filesOf(ctx.db, source.id, source.gen ?? 0)).values()].map((f) => ({ path: f.path, sha: f.sha }));
  setPhase('listing');
  report();
  if (stored.length === 0 && config.folders.every(sortsAfterConfig)) {
    // A first sync is full whatever the listing says, and needs from it only the
    // files' shas, their count, the trees' shas and whether it was cut short: the
    // tarball is read meanwhile (see readTarball). Sequential, the listing of
    // teahouse's size took ≈ 2 s before the download began. Where a folder sorts
    // before _config.yml, the config's sha is needed first and this does not apply.
    const listing = listFiles(ctx, repo, commitSha, config, source, stored, api, context);
    listing.catch(() => {}); // thrown by readTarball, which waits for it
    const job: JobRecord = {
      id: source.id, sourceId: source.id, mode: 'full', commitSha, branch, etag, gen: await nextGeneration(ctx.db, source),
      moves: [], remove: [], fetch: [], total: 0, startedAt, requests: 0, bytes: 0, folders: [...config.folders],
    };
    await ctx.db.jobs.put(job);
    return { job, shas: ShaTable.of([]), listing };
  }
  const listed = await listFiles(ctx, repo, commitSha, config, source, stored, api, context);
  const { files: remote, configSha, truncated } = listed;
  if (!truncated && listed.count === 0) throw notAnArchive(config);

  const plan = planSync(stored, remote);
  const full = stored.length === 0 || truncated || plan.fetch.length > INCREMENTAL_LIMIT;
  const job: JobRecord = {
    id: source.id, sourceId: source.id, mode: full ? 'full' : 'incremental', commitSha, branch, etag,
    gen: full ? await nextGeneration(ctx.db, source) : (source.gen ?? 0),
    moves: full ? [] : plan.moves, remove: full ? [] : plan.remove,
    // A listing cut short does not say how many files there are: the progress counts without a total.
    fetch: full ? [] : plan.fetch, total: truncated ? 0 : full ? listed.count : plan.fetch.length,
    configSha, startedAt, requests: 0, bytes: 0, folders: [...config.folders],
    // Without the trees (a listing cut short), a full sync computes them from the tarball.
    ...(truncated ? {} : { trees: listed.trees }),
  };
  await ctx.db.jobs.put(job);
  return full ? { job, shas: listed.shas ?? ShaTable.of(remote) } : { job };
}

function notAnArchive(config: GithubSourceConfig): SyncError {
  return new SyncError('not-an-archive', userMessage('githubNotAnArchive', `${config.owner}/${config.repo}`, config.folders.map((f) => `${f}/`).join(', ')));
}

/** An archive past this many files was listed in parts last time: it is walked again at once, without a recursive listing GitHub would cut short. */
const WALK_FIRST = 50_000;

/**
 * The commit's post files: one recursive listing, or, when GitHub cuts it
 * short and an earlier sync left the trees' shas, a walk of the trees that
 * changed. `truncated` when neither gave every file (a full sync follows).
 */
async function listFiles(ctx: SyncContext, repo: RepoRef, commitSha: string, config: GithubSourceConfig, source: SourceRecord, stored: KnownFile[], api: Record<string, string>, context: { repo: string; hasToken: boolean }): Promise<Listing> {
  const folders = config.folders.map((f) => f.replace(/\/+$/, ''));
  const inFolders = (dir: string) => folders.some((f) => dir === f || dir.startsWith(`${f}/`));
  const known = source.trees && sameFolders(config.syncedFolders ?? config.folders, config.folders) ? source.trees : undefined;
  const walk = async (): Promise<Listing | null> => {
    if (!known || stored.length === 0) return null;
    const walked = await walkTrees({ http: ctx.http, repo, headers: api, context }, commitSha, config.folders, known, stored);
    return walked && { files: walked.files, count: walked.files.length, trees: walked.trees, truncated: false, ...(walked.configSha ? { configSha: walked.configSha } : {}) };
  };
  if (stored.length >= WALK_FIRST) {
    const walked = await walk();
    if (walked) return walked;
  }
  // Nothing stored: the sync is full and needs only the listing's shas, not its 100,000s of paths.
  const listing = await ctx.http.retrying(async () =>
    readListing(ctx.http, await ctx.http.get(githubUrls.tree(repo, commitSha), api, context), (path) => isPostFile(path, config.folders), { shasOnly: stored.length === 0, trees: inFolders }),
  );
  if (!listing.truncated || stored.length >= WALK_FIRST) return listing;
  return (await walk()) ?? listing;
}

function sameFolders(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

function apiHeaders(token: string | null): Record<string, string> {
  return {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

type SetPhase = (phase: SyncPhase) => void;
type Report = (done?: number, total?: number, message?: string) => void;

/**
 * Reads the commit's tarball into the job's generation; `shas` are the
 * listing's (a file missing from it is hashed). A first sync's `listing` is
 * still being read: until it ends, files are hashed here (a few thousand at
 * most, while GitHub begins the listing), the trees' shas computed from the
 * tarball, and the progress has no total; once it ends, its shas, count and
 * trees are the job's, as if it had been read first.
 */
async function readTarball(ctx: SyncContext, repo: RepoRef, job: JobRecord, config: GithubSourceConfig, shas: ShaTable, setPhase: SetPhase, report: Report, clock: StageClock, listing?: Promise<Listing>) {
  const token: Record<string, string> = ctx.token ? { authorization: `Bearer ${ctx.token}` } : {};
  const context = { repo: `${repo.owner}/${repo.repo}`, hasToken: Boolean(ctx.token) };
  // The site configuration decides the zone of dates written without an offset: it is read
  // before any post. GitHub's tarball lists files in git's order, so `_config.yml` comes before
  // `_posts/` and `archived/`; a folder that sorts before it (`Archive/`, `2024/`) has it fetched first.
  const folders = config.folders.map((f) => f.replace(/\/+$/, ''));
  const inFolders = (dir: string) => folders.some((f) => dir === f || dir.startsWith(`${f}/`));
  let site: SiteConfig | undefined = job.configSha && !config.folders.every(sortsAfterConfig) ? await readConfig(ctx, repo, job) : undefined;
  let parsedIn: 'worker' | 'background' = 'background';
  let listed: Listing | null = null;
  let listingFailed: unknown = null;
  listing?.then(
    (done) => {
      if (!done.truncated && done.count === 0) {
        listingFailed = notAnArchive(config);
        return;
      }
      listed = done;
      shas = done.shas ?? ShaTable.of(done.files);
      job.total = done.truncated ? 0 : done.count;
      if (done.configSha) job.configSha = done.configSha;
      if (!done.truncated) job.trees = done.trees;
    },
    (error: unknown) => (listingFailed = error),
  );

  // A download that breaks off is started again; files already saved are skipped.
  await ctx.http.retrying(async function readDownload(): Promise<void> {
    const done = await stagedPaths(ctx.db, job);
    // Nothing of the job stored yet: its files are counted as they are written, for its commit (db/file-tally.ts).
    if (done.size === 0) beginFileTally(job);
    setPhase('downloading');
    report(done.size, job.total);
    // Ends the download of a copy kept on disk from its first byte (sync/spool.ts) that is not wanted.
    const copyStop = new AbortController();
    const res = await ctx.http.get(githubUrls.tarball(repo, job.commitSha), token, context, undefined, ctx.spool ? AbortSignal.any([ctx.http.signal, copyStop.signal]) : undefined);
    let batch: ParseFile[] = [];
    /** The batch's posts' bytes: a batch also ends at BATCH_POST_BYTES a post (see there). */
    let batchBytes = 0;
    let read = done.size;
    const writer = new BatchWriter(ctx.db, job, clock);
    // A listing cut short gave no trees: they are computed from the tarball, for the next sync's
    // walk (and while a first sync's listing is read, until it says it was not cut short):
    // here, or where the engine unpacks it.
    let hashing = !job.trees;
    let hasher: TreeHasher | null = null;
    /**
     * The hasher's blobs whose sha the parse computes (readEntry), by path. In
     * the engine's worker, where most batches are parsed, that takes the
     * hashing off this thread: Firefox's background spent 4.4 s of a society
     * ×8 sync there, 17.7 s at ×32.
     */
    const shaComing = new TextMap<(sha: string | null) => void>();
    // Posts are parsed by the sync engine, in a worker when there is one, while
    // this thread reads the next batch and the database saves the one before.
    const { session, indexes } = await jobEngine(ctx.db, job);
    parsedIn = session.remote ? 'worker' : 'background';
    if (hashing && !session.remote) hasher = new TreeHasher(inFolders);
    // The batch being parsed and then handed to the writer; at most one waits so.
    let handing: Promise<void> = Promise.resolve();
    /**
     * Without a worker this thread parses each post as the tarball gives it
     * (its posts go to the index by their fields), a few at a time between
     * the database's answers: its bytes, views of the decompressed chunk they
     * came in, are let go at once. Parsed a batch at a time, every chunk of a
     * batch outlived a collection or two and went to the old generation with
     * its bytes, to be freed only by a full collection (the service worker's
     * ArrayBuffers ran 135 MiB, 65 of them live, through society ×32).
     * A worker also unpacks the download (sync/unpacked.ts): the posts' bytes
     * are there, it parses every batch and saves its posts (db/held-batch.ts),
     * whose text never comes here. (Before, this thread parsed a
     * batch whenever the worker was still parsing one: Firefox's sync was
     * about a fifth faster so, and its background page carried the
     * decompressed archive: see engine/unpacker.ts.)
     */
    let readHere: ReadFile[] = [];
    let sinceTurn = 0;
    const parseHere = async (file: RawFile): Promise<void> => {
      const started = performance.now();
      const parsed = readEntry(file.path, file.data, file.size, file.sha, site?.timezone);
      // As the engine does (engine/engine.ts): nothing reads a post's HTML once it is parsed,
      // and the batch would hold every body until it is saved.
      if (parsed.result.ok) parsed.result.post.bodyHtml = '';
      readHere.push(parsed);
      clock.add('parseHere', performance.now() - started);
      if (++sinceTurn < PARSE_TURN) return;
      sinceTurn = 0;
      await nextTask();
    };
    /** A batch ends at BATCH posts, or at BATCH_POST_BYTES a post. */
    const flushWhenFull = async () => {
      const posts = ctx.batch ?? BATCH;
      if (batch.length + readHere.length >= posts || batchBytes >= posts * BATCH_POST_BYTES) await flush();
    };
    const flush = async () => {
      if (batch.length + readHere.length === 0) return;
      // A worker keeps a full sync's posts and saves them itself (db/held-batch.ts).
      const parsing: Promise<{ read: ReadFile[] } | { held: HeldBatch }> = !session.remote
        ? Promise.resolve({ read: readHere })
        : indexes ? session.parseHeld(batch, site?.timezone).then((held) => ({ held }))
          : session.parse(batch, { timeZone: site?.timezone, keep: false }).then((read) => ({ read }));
      parsing.catch(() => {}); // thrown below, by the chain that waits for it
      const previous = handing;
      const count = batch.length + readHere.length;
      batch = [];
      readHere = [];
      batchBytes = 0;
      handing = (async () => {
        await previous;
        const parsed = await clock.time('parse', () => parsing);
        // The shas the parse computed here (a worker computes a file's as it unpacks it, while the trees are hashed).
        for (const file of 'read' in parsed && shaComing.size ? parsed.read : []) {
          const give = shaComing.get(file.path);
          if (!give) continue;
          shaComing.delete(file.path);
          give(file.sha || null);
        }
        await clock.time('wait', () => writer.write(parsed));
        read += count;
        // No write to the job record here: it holds the whole tree listing
        // (122,000 entries at scale), and rewriting it after every batch made
        // the sync of a large archive slow and its memory balloon.
        report(read, job.total);
      })();
      handing.catch(() => {}); // thrown by the next flush or the end
      await previous;
    };
    /** The download's copy on disk (sync/spool.ts), if it is kept. */
    let copied: SpoolUse['copied'] | undefined;
    try {
      setPhase('reading');
      let download = ctx.http.chunks(res);
      /** The wait for the spool's copy since the last entry (a stage of its own, not unpacking). */
      let spoolMs = 0;
      const spool = ctx.spool;
      // A paced download's reads find data waiting whenever the network refills its pipe in time,
      // which is not running ahead: nothing piles up to keep.
      if (spool && !spool.paced?.(res)) {
        // The copy goes to disk from the first byte, beside the read (sync/spool.ts).
        copied = copyToDisk(spool.store, res, () => copyStop.abort());
        download = spoolingWhenAhead(download, {
          copied,
          aheadBytes: spool.aheadBytes ?? RUNNING_AHEAD_BYTES,
          ...(spool.aheadMs !== undefined ? { aheadMs: spool.aheadMs } : {}),
          // What the download itself gave was counted as it came from the network; the rest is counted here.
          read: (copy) => ctx.http.chunks(copy, false),
          unread: (bytes) => (ctx.http.bytes += bytes),
          waiting: async (work) => {
            const started = performance.now();
            try {
              return await clock.time('spool', work);
            } finally {
              spoolMs += performance.now() - started;
            }
          },
        });
      }
      const tooLarge = () => archiveTooLarge(`GitHub's download of ${context.repo}`);
      const remote = session.remote
        ? unpackedBy(session, download, { folders: config.folders, maxEntryBytes: MAX_POST_BYTES, maxBytes: MAX_ARCHIVE_BYTES, tooLarge, hashing: () => hashing, skip: done, shas: () => shas })
        : null;
      const entries: AsyncIterable<UnpackedEntry> = remote?.entries ?? readTar(capped(gunzip(download), MAX_ARCHIVE_BYTES, tooLarge), { maxEntryBytes: MAX_POST_BYTES });
      let unpacked = performance.now();
      for await (const entry of entries) {
        clock.add('unpack', performance.now() - unpacked - spoolMs);
        spoolMs = 0;
        unpacked = performance.now();
        if (listingFailed) throw new ListingFailed();
        if (listed && job.trees) {
          hashing = false;
          hasher = null;
        }
        // A post the engine holds, path and all (engine/unpacker.ts): it skipped what was saved before, and hashed it into its tree.
        if (entry.type === 'held') {
          batch.push({ held: entry.held, size: entry.size, ...(entry.sha ? { sha: entry.sha } : {}) });
          batchBytes += entry.size;
          await flushWhenFull();
          unpacked = performance.now();
          continue;
        }
        if (entry.type === 'directory') continue;
        // GitHub wraps the tree in one folder: `<owner>-<repo>-<sha>/`.
        const path = entry.path.slice(entry.path.indexOf('/') + 1);
        // The engine says the sha of a file it unpacked while the trees are hashed, and of other files than posts.
        let sha = shas.get(path) ?? entry.sha;
        if (hasher && inFolders(path.slice(0, Math.max(0, path.lastIndexOf('/'))))) {
          if (entry.type === 'file' && sha === undefined && entry.data && isPostFile(path, config.folders) && !done.has(path)) {
            // A post to parse: its parse computes the sha.
            hasher.blob(path, gitMode(entry.mode, false), new Promise((resolve) => shaComing.set(path, resolve)));
          } else {
            const hashing = performance.now();
            sha = hasher.entry(path, entry, sha);
            clock.add('trees', performance.now() - hashing);
            unpacked = performance.now();
          }
        }
        if (entry.type !== 'file') continue;
        if (path === '_config.yml' && entry.data) site = parseSiteConfig(new TextDecoder().decode(entry.data));
        if (!isPostFile(path, config.folders) || done.has(path)) continue;
        const file: RawFile = { path, data: entry.data, size: entry.size, ...(sha ? { sha } : {}) };
        if (session.remote) batch.push(file);
        else await parseHere(file);
        batchBytes += entry.size;
        await flushWhenFull();
        unpacked = performance.now();
      }
      await flush();
      await handing;
      await clock.time('wait', () => writer.done());
      // The listing's callbacks above run first.
      if (listing) await listing.catch(() => {});
      if (listingFailed) throw new ListingFailed();
      if (hashing && !job.trees) job.trees = hasher ? await hasher.finish() : remote?.trees();
    } catch (error) {
      // A batch still being parsed or handed over is waited for: a retry reads what is saved.
      await handing.catch(() => {});
      // A batch still being saved is waited for: a retry reads what is saved.
      throw readFailure(ctx, job, context.repo, error, await writer.failure());
    } finally {
      if (!indexes) session.close();
      if (copied) dropCopy(copied);
    }
  }).catch((error: unknown) => {
    throw error instanceof ListingFailed ? listingFailed : error;
  });
  return { site, parsedIn };
}

/** What a failed read of the tarball throws, from its error and the failure of the batches being saved. */
function readFailure(ctx: SyncContext, job: JobRef, repo: string, error: unknown, writeFailure: unknown): unknown {
  if (error instanceof ListingFailed) return error;
  if (error instanceof EngineLost || writeFailure instanceof EngineLost) return engineStopped(job);
  if (writeFailure instanceof SyncError) return writeFailure;
  if (ctx.http.signal.aborted || error instanceof SyncError) return error;
  // The spool's disk (sync/spool.ts) full.
  if (isQuotaError(error)) return storageFull();
  if (error instanceof TarFormatError && /not a tar archive/.test(error.message)) return new SyncError('bad-archive', userMessage('githubNotATarball', repo));
  // A dropped connection, a truncated body or a broken gzip stream.
  return new SyncError('offline', userMessage('downloadBrokeFrom', 'GitHub'), true);
}

/** Stops the reading of the tarball when the listing read beside it failed (its own error is thrown then; the download is not tried again for it). */
class ListingFailed extends Error {}

/**
 * Files parsed in this thread between turns of its other work: the
 * database's answers, and the commit of the batch being saved, which waits
 * for this thread to be free (a batch of 2,000 posts parsed in one go held
 * Firefox's commit ≈ 150 ms, each batch).
 */
const PARSE_TURN = 100;

/**
 * The sync engine's worker went away (engine/link.ts): what it held of
 * the live index is lost, so the index is built again from the stored posts
 * (db/staging.ts liveIndexOf), and the sync goes on (a passing failure: the download is read again,
 * or the job resumed), parsing in this thread.
 */
function engineStopped(job: JobRef): SyncError {
  forgetLiveIndex(job);
  return new SyncError('other', userMessage('syncEngineStopped'), true);
}

/** Whether a synced folder's files come after `_config.yml` in git's order (that of GitHub's tarball). */
function sortsAfterConfig(folder: string): boolean {
  const top = folder.split('/')[0];
  return Boolean(top) && `${top}/` > '_config.yml';
}

/** The commit's `_config.yml`, read on its own. */
async function readConfig(ctx: SyncContext, repo: RepoRef, job: JobRecord): Promise<SiteConfig> {
  const context = { repo: `${repo.owner}/${repo.repo}`, hasToken: Boolean(ctx.token) };
  const auth: Record<string, string> = ctx.token ? { authorization: `Bearer ${ctx.token}` } : {};
  const res = await ctx.http.retrying(() => ctx.http.get(githubUrls.raw(repo, job.commitSha, '_config.yml'), auth, context));
  return parseSiteConfig(new TextDecoder().decode((await ctx.http.bytesOf(res, MAX_POST_BYTES)) ?? new Uint8Array()));
}

async function readChanges(ctx: SyncContext, repo: RepoRef, job: JobRecord, source: SourceRecord, setPhase: SetPhase, report: Report) {
  const done = await stagedPaths(ctx.db, job);
  const todo = job.fetch.filter((f) => !done.has(f.path));
  const context = { repo: `${repo.owner}/${repo.repo}`, hasToken: Boolean(ctx.token) };
  // raw.githubusercontent.com serves private repositories' files to the token too.
  const auth: Record<string, string> = ctx.token ? { authorization: `Bearer ${ctx.token}` } : {};
  setPhase('downloading');
  // The site configuration decides the post links and the zone of dates
  // without an offset: when it changed, read it before the posts.
  const site = job.configSha && job.configSha !== source.configSha ? await readConfig(ctx, repo, job) : undefined;
  const timeZone = (site ?? validSiteConfig(source.site))?.timezone;
  let read = done.size;
  report(read, job.total);
  let batch: ReadFile[] = [];
  const fetchOne = async (file: { path: string; sha: string; size?: number }): Promise<ReadFile> => {
    // The tree says how large a file is: a file too large to be a post is not downloaded at all.
    if (file.size !== undefined && file.size > MAX_POST_BYTES) return readEntry(file.path, null, file.size, file.sha);
    const bytes = await ctx.http.retrying(async () => ctx.http.bytesOf(await ctx.http.get(githubUrls.raw(repo, job.commitSha, file.path), auth, context), MAX_POST_BYTES));
    return readEntry(file.path, bytes, bytes?.length ?? MAX_POST_BYTES + 1, file.sha, timeZone);
  };
  for (let i = 0; i < todo.length; i += RAW_CONCURRENCY) {
    batch.push(...(await Promise.all(todo.slice(i, i + RAW_CONCURRENCY).map(fetchOne))));
    if (batch.length >= 60 || i + RAW_CONCURRENCY >= todo.length) {
      await stageBatch(ctx.db, job, batch);
      read += batch.length;
      batch = [];
      report(read, job.total);
    }
  }
  return site;
}
