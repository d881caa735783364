// Answers the typed requests of src/shared/messages.ts. Only the extension's
// own pages and its content scripts on YouTube are answered.
import { forgetCachedPacks, getPosts } from '../db/post-store';
import browser, { type Runtime } from 'webextension-polyfill';
import { asVideoId, type VideoId } from '../core/youtube';
import { MAX_POST_CHARS } from '../core/post';
import { safeEnd, SENT_SUMMARY_CHARS } from '../core/clip';
import { textChange } from '../core/text-diff';
import { markVideos } from '../db/marks';
import { ChannelBoilerplate } from '../db/boilerplate';
import { MembershipCache } from './membership';
import { inEnglish, userMessage, UserFacingError } from '../core/user-messages';
import { archiveStats, CountsCache, type ArchiveCounts, lookupVideo, MENTIONS_SENT, mentionPage, toSourceView, toView } from '../db/queries';
import { parseQuery } from '../core/search';
import { browsePosts, readySearch, searchHits } from '../db/search';
import { libraryOverview } from '../db/library';
import { forgetSources, sourcesById } from '../db/sources-cache';
import type { PostRecord, SourceRecord } from '../db/schema';
import { bundleSource, githubSource, SourceInputError } from '../sync/sources';
import {
  CONTENT_REQUESTS, isRequest, PAGE_CHANNEL,
  type Envelope, type Request, type RequestType, type Response, type SearchHit, type TextRef,
} from '../shared/messages';
import { db, importBuiltin, isBuiltinRemoved, isImporting, ready, setBuiltinRemoved } from './archive';
import { countFor, tabNavigated } from './badge';
import { releaseUnusedOrigins } from './permissions';
import { anyMerging, anySyncing, cancelSync, isSyncing, purgeRemovedSafely, removeSourceSafely, startSync } from './sync-manager';
import { keepHeld } from '../db/removed';
import { getToken, setToken } from './tokens';
import { LookupCache } from './lookup-cache';
import { askedSinceNow, QUIET_MS, readerAsked, readersQuiet, readerWaiting, sleep } from './readers';
import { docView, followedHit, followedView, FollowedSources } from './followed';
import { TextUploads } from './text-uploads';
import { playerDataInPage } from '../page-world/player-data';
import { MOVIE_PLAYERS, SHORTS_PLAYER } from '../content/selectors';

/** Published indexes the reader follows (background/followed.ts); a new build of one is a change of the archive. */
export const followed = new FollowedSources(db, (url, init) => fetch(url, init), () => void archiveChanged());
export const lookups = new LookupCache(async (videoId) => {
  const extra = followed.postsOf([videoId], true);
  const result = await lookupVideo(db, videoId, extra);
  const { unreachable, mentioned } = await extra;
  // The followed indexes' posts that mention the video come after the archive's own.
  const local = result.mentionedTotal ?? result.mentioned.length;
  const far = mentioned.map(({ source, doc }, i) => docView(source, doc, 'm', i));
  const sent = [...result.mentioned, ...far.slice(0, Math.max(0, MENTIONS_SENT - result.mentioned.length))];
  const total = local + far.length;
  return {
    ...result, mentioned: sent, ...(total > sent.length ? { mentionedTotal: total } : {}),
    ...(unreachable.length ? { unreachable } : {}),
  };
});
/** Most pairs of texts one textChanges request compares (a video's versions, and the page against the newest). */
const MAX_TEXT_PAIRS = 50;
const membership = new MembershipCache(db);
// After a change both walk every video id: the membership set does it once for both.
const COUNTS_KEY = 'archiveCounts';
const counts = new CountsCache(db, () => membership.videos(), {
  get: async () => (await browser.storage.local.get(COUNTS_KEY))[COUNTS_KEY] as { version: string; counts: ArchiveCounts } | undefined,
  set: (saved) => browser.storage.local.set({ [COUNTS_KEY]: saved }),
});
const boilerplate = new ChannelBoilerplate(db);
/** Long texts pages send in pieces ahead of the request that names them. */
const textUploads = new TextUploads();
/** Who sent a message, for what it sent before: a tab's frame, or an extension page. */
const senderKey = (sender: Runtime.MessageSender) => (sender.tab ? `tab:${sender.tab.id}:${sender.frameId ?? 0}` : `page:${sender.url ?? ''}`);
/** When each tab last opened the library, and how often it may. */
const libraryOpenedAt = new Map<number, number>();
const OPEN_LIBRARY_EVERY_MS = 1_000;
/** The most ids one marks request may ask about: a screenful of thumbnails, with room. */
const MARKS_LIMIT = 200;

/**
 * The archive changed (a sync, an import, a removal): cached answers are
 * forgotten, and search is readied for the archive as it is now. Resolves when
 * that is done or given up. `readyFirst`: a sync that has not said it is done
 * yet waits for it (sync-manager.ts), so only a reader's search stops it; a
 * reader's other requests (the options page reads as a sync ends) do not.
 */
export function archiveChanged(readyFirst = false): Promise<void> {
  // Dexie reports another page's writes too, a moment later: this is at once.
  forgetSources(db);
  lookups.clear();
  forgetCachedPacks();
  counts.clear();
  boilerplate.clear();
  const readied = prepareSearch(true, readyFirst);
  membership.prepare();
  findUsualText();
  void settleFollowed().catch(() => {});
  return readied;
}

/** A followed index whose archive a sync now holds in full is followed no longer (background/followed.ts, settle). */
async function settleFollowed(): Promise<void> {
  const synced = [...(await sourcesById(db)).values()].filter((s) => s.kind === 'github' && s.github && s.commitSha);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const removed = await followed.settle((repo) => synced.some((s) => same(s.github!.owner, repo.owner) && same(s.github!.repo, repo.name)));
  if (removed === 0) return;
  await releaseUnusedOrigins(db);
  void archiveChanged();
}

/** Resolves once no request has come in for a moment and no sync, import or merge is running. */
async function quiet(): Promise<void> {
  for (;;) {
    await readersQuiet();
    if (!anySyncing() && !isImporting() && !anyMerging()) return;
    await sleep(QUIET_MS);
  }
}

let usualTextPass: Promise<unknown> = Promise.resolve();
/**
 * Finds every channel's usual text for the archive as it is now, in the
 * background and out of readers' way, so search excerpts can skip it
 * (db/boilerplate.ts). Passes run one after another; a pass stops when the
 * archive changes, and the next one starts where it matters.
 */
export function findUsualText(): void {
  usualTextPass = usualTextPass
    .then(() => sleep(QUIET_MS))
    .then(() => boilerplate.findAll(quiet))
    .catch((e: unknown) => console.warn("ArchiveLens: channels' usual text could not be found", e));
}

/**
 * Readies search for the next query; a failure here only leaves that query to
 * read more. A reader who asks meanwhile goes first: after a change (`again`)
 * any request; when a page that opens asks (stats), a search after it (the
 * stats request itself would stop it at once, and its lookups need no
 * warm-up). Its queries, once that page searches, only compete with its own.
 * `readyFirst` (a sync waits for it before it says it is done): only a search
 * stops it, as the options page asks for more as the sync ends.
 */
function prepareSearch(again = false, readyFirst = false): Promise<void> {
  return readySearch(db, again, again && !readyFirst ? readerWaiting : askedSinceNow('search')).catch(() => {});
}

type Origin = 'page' | 'content';

/** Who sent a message, or null when it must be ignored. */
export function senderOrigin(sender: Runtime.MessageSender): Origin | null {
  if (sender.id !== browser.runtime.id) return null;
  const extensionRoot = browser.runtime.getURL('');
  const url = sender.url ?? '';
  if (url.startsWith(extensionRoot)) return 'page';
  if (sender.tab && /^https:\/\/(www|m)\.youtube\.com\//.test(url)) return 'content';
  return null;
}

type Handlers = { [T in RequestType]: (request: Request<T>, sender: Runtime.MessageSender) => Promise<Response<T>> };

const handlers: Handlers = {
  async lookup(request, sender) {
    const videoId = asVideoId(request.videoId);
    if (!videoId) throw new UserFacingError(userMessage('notAVideoId'));
    const result = await lookups.get(videoId);
    countFor(sender.tab, videoId, result.archived.length + (result.mentionedTotal ?? result.mentioned.length));
    return result;
  },
  async navigated(request, sender) {
    const tabId = sender.tab?.id;
    if (tabId === undefined || typeof request.url !== 'string') return null;
    const videoId = tabNavigated(tabId, request.url);
    // The badge counts every video page (Shorts and live too), whether or not a panel shows it.
    if (videoId) void lookups.get(videoId).then((result) => countFor({ id: tabId, url: request.url }, videoId, result.archived.length + (result.mentionedTotal ?? result.mentioned.length))).catch(() => {});
    return null;
  },
  async mentions(request) {
    const videoId = asVideoId(request.videoId);
    if (!videoId) throw new UserFacingError(userMessage('notAVideoId'));
    const offset = Math.max(0, Math.floor(Number(request.offset)) || 0);
    const [local, { mentioned }] = await Promise.all([mentionPage(db, videoId, offset), followed.postsOf([videoId], true)]);
    if (mentioned.length === 0) return local;
    // After the archive's own, as the lookup sent them.
    const from = Math.max(0, offset - local.total);
    const far = mentioned.slice(from, from + MENTIONS_SENT - local.posts.length).map(({ source, doc }, i) => docView(source, doc, 'm', from + i));
    return { posts: [...local.posts, ...far], total: local.total + mentioned.length };
  },
  async boilerplate(request) {
    const channels = (Array.isArray(request.channels) ? request.channels : []).filter((c): c is string => typeof c === 'string' && c.length > 0).slice(0, 10);
    return Object.fromEntries(await Promise.all(channels.map(async (c) => [c, await boilerplate.get(c)] as const)));
  },
  async textChanges(request, sender) {
    // A view compares a few versions at most; each text at most a post's size.
    const pairs = (Array.isArray(request.pairs) ? request.pairs : []).slice(0, MAX_TEXT_PAIRS).filter((pair) => Array.isArray(pair) && pair.length === 2);
    const refs = pairs.flat() as unknown[];
    const keys = [...new Set(refs.flatMap((ref) => (typeof ref === 'object' && ref && typeof (ref as { post?: unknown }).post === 'string' ? [(ref as { post: string }).post] : [])))];
    const posts = await postsByKey(keys);
    // Texts sent ahead in pieces (textPart), each read once for all the pairs that name it.
    const uploads = new Map<string, string | null>();
    for (const ref of refs) {
      const id = typeof ref === 'object' && ref ? (ref as { upload?: unknown }).upload : undefined;
      if (typeof id === 'string' && !uploads.has(id)) uploads.set(id, textUploads.take(senderKey(sender), id));
    }
    const text = (ref: TextRef): string | null => {
      if (typeof ref === 'string') return ref.slice(0, MAX_POST_CHARS);
      if ('upload' in ref) return uploads.get(String(ref.upload)) ?? null;
      const post = posts.get(String(ref?.post));
      return post ? (ref.field === 'title' ? post.title : post.summary) : null;
    };
    return pairs.map(([a, b]) => {
      const [before, after] = [text(a), text(b)];
      return before === null || after === null ? null : textChange(before, after);
    });
  },
  async textPart(request, sender) {
    return { stored: textUploads.put(senderKey(sender), String(request.upload), Number(request.index), request.part, request.last === true) };
  },
  async postText(request) {
    const key = String(request.key ?? '');
    const post = (await postsByKey([key])).get(key);
    if (!post) throw new UserFacingError(userMessage('postGone'));
    // The page asks from where its text ends (never inside a character); the stretch ends on a whole one too.
    const from = Math.max(0, Math.min(Math.floor(Number(request.from)) || 0, post.summary.length));
    const to = Math.min(Math.floor(Number(request.to)) || 0, from + SENT_SUMMARY_CHARS);
    return { text: post.summary.slice(from, Math.max(from, safeEnd(post.summary, to))), total: post.summary.length };
  },
  async membership(request) {
    // The archive's filter, and each followed index's beside it (filters of different sizes cannot be joined).
    const [local, more] = await Promise.all([membership.get(), followed.memberSets()]);
    const version = more.sets.length ? `${local.version}#${more.version}` : local.version;
    if (request.version === version || !local.set) return { version, set: null };
    return { version, set: more.sets.length ? { ...local.set, more: more.sets } : local.set };
  },
  async marks(request) {
    const ids = (Array.isArray(request.videoIds) ? request.videoIds : []).slice(0, MARKS_LIMIT).map(asVideoId).filter((id): id is VideoId => id !== null);
    return markVideos(db, ids, await followed.postsOf(ids));
  },
  async openLibrary(request, sender) {
    // Opened for a reader's click: a tab at most so often, whatever a page manages to send.
    const now = Date.now();
    const key = sender.tab?.id ?? -1;
    if (now - (libraryOpenedAt.get(key) ?? 0) < OPEN_LIBRARY_EVERY_MS) return { opened: false };
    libraryOpenedAt.set(key, now);
    const query = String(request.query ?? '').slice(0, 200);
    await browser.tabs.create({ url: `${browser.runtime.getURL('src/library/index.html')}?q=${encodeURIComponent(query)}` });
    return { opened: true };
  },
  async pageBridge(request, sender) {
    const channel = String(request.channel ?? '');
    const tabId = sender.tab?.id;
    if (!PAGE_CHANNEL.test(channel) || tabId === undefined) throw new UserFacingError(userMessage('notForPages', 'pageBridge'));
    await browser.scripting.executeScript({
      target: { tabId, frameIds: [sender.frameId ?? 0] },
      world: 'MAIN',
      func: playerDataInPage,
      args: [channel, { players: MOVIE_PLAYERS, shortsPlayer: SHORTS_PLAYER }],
    });
    return { installed: true };
  },
  // Excerpts skip each channel's usual text where it has been found already (db/boilerplate.ts).
  async search(request) {
    await boilerplate.load();
    const input = String(request.query ?? '');
    const limit = Math.min(Number(request.limit) || 50, 200);
    const [local, far] = await Promise.all([searchHits(db, input, limit, (channel) => boilerplate.known(channel)), searchFollowed(input, limit)]);
    if (!far) return local;
    const posts = mergeRanked(local.posts, far.posts, limit);
    const approximate = local.approximate || far.approximate;
    return {
      posts, total: local.total + far.total, ...(approximate ? { approximate } : {}),
      ...(local.tooShort && far.tooShort ? { tooShort: true } : {}), ...(far.unreachable.length ? { unreachable: far.unreachable } : {}),
    };
  },
  library: async () => libraryOverview(db, await followed.facets()),
  async browse(request) {
    const input = String(request.query ?? '');
    const offset = Math.max(0, Math.floor(Number(request.offset) || 0));
    const limit = Math.min(Number(request.limit) || 50, 200);
    const local = await browsePosts(db, input, offset, limit);
    if ((await followed.all()).length === 0) return local;
    // The followed indexes' posts come after the archive's own.
    const far = await followed.browse(parseQuery(input), Math.max(0, offset - local.total), Math.max(0, limit - local.posts.length));
    const approximate = local.approximate || far.approximate;
    return {
      offset, posts: [...local.posts, ...far.posts], total: local.total + far.total, ...(approximate ? { approximate } : {}),
      ...(local.tooShort && far.tooShort ? { tooShort: true } : {}),
    };
  },
  stats: async () => {
    // The popup and the library ask for stats when they open: a search is likely next.
    prepareSearch();
    return stats();
  },
  async reimportBuiltin() {
    await setBuiltinRemoved(false);
    await importBuiltin();
    void archiveChanged();
    return stats();
  },
  async removeSource(request) {
    const sourceId = String(request.sourceId);
    if (await followed.remove(sourceId)) {
      await releaseUnusedOrigins(db);
      void archiveChanged();
      return stats();
    }
    const source = await db.sources.get(sourceId);
    // Removing the sample is the user's decision: it is not re-imported at the next start or update.
    if (source?.kind === 'builtin') await setBuiltinRemoved(true);
    await removeSourceSafely(sourceId);
    await setToken(sourceId, null);
    await releaseUnusedOrigins(db);
    void archiveChanged();
    return stats();
  },
  async addGithubSource(request) {
    let source: SourceRecord;
    try {
      source = githubSource({ repository: String(request.repository ?? ''), branch: String(request.branch ?? ''), folders: String(request.folders ?? '') });
    } catch (e) {
      if (e instanceof SourceInputError) throw e;
      throw new UserFacingError(userMessage('notARepository'));
    }
    const existing = await db.sources.get(source.id);
    if (existing) {
      // Adding it again updates its folders (and token) instead of duplicating
      // it; what the last sync read stays known, so a change of folders re-plans.
      await db.sources.update(source.id, { 'github.folders': source.github!.folders });
    } else {
      await db.sources.put(source);
    }
    const token = String(request.token ?? '').trim();
    if (token) await setToken(source.id, token);
    // Adding a source starts its sync: the user sees the progress right away.
    void startSync(source.id);
    return { source: await describe((await db.sources.get(source.id))!), stats: await stats() };
  },
  async addBundleSource(request) {
    const source = bundleSource(String(request.url ?? ''));
    if (!(await db.sources.get(source.id))) await db.sources.put(source);
    void startSync(source.id);
    return { source: await describe((await db.sources.get(source.id))!), stats: await stats() };
  },
  async followIndex(request) {
    const record = await followed.add(String(request.url ?? '').slice(0, 2000));
    void archiveChanged();
    return { source: followedView(record, 0), stats: await stats() };
  },
  async syncSource(request) {
    // A followed index is checked, not synced: a 304 when it did not change.
    const record = (await followed.all()).find((r) => r.id === String(request.sourceId));
    if (record) {
      await followed.check(record.id);
      return { started: false };
    }
    const source = await db.sources.get(String(request.sourceId));
    if (!source || (source.kind !== 'github' && source.kind !== 'bundle')) throw new UserFacingError(userMessage('cannotSync'));
    const started = !isSyncing(source.id);
    void startSync(source.id);
    return { started };
  },
  async cancelSync(request) {
    const syncing = isSyncing(String(request.sourceId));
    cancelSync(String(request.sourceId));
    return { cancelled: syncing };
  },
  async archiveChanged() {
    void archiveChanged();
    return stats();
  },
  async setMirrorRemovals(request) {
    await db.sources.update(String(request.sourceId), { mirrorRemovals: request.mirror === true });
    return stats();
  },
  async purgeRemoved(request) {
    const purged = await purgeRemovedSafely(String(request.sourceId));
    void archiveChanged();
    return { purged, stats: await stats() };
  },
  async keepHeld(request) {
    await keepHeld(db, String(request.sourceId));
    return stats();
  },
  async sourceFailures(request) {
    return (await db.sources.get(String(request.sourceId)))?.failures ?? [];
  },
};

async function describe(source: SourceRecord) {
  return toSourceView(source, { hasToken: Boolean(await getToken(source.id)), syncing: isSyncing(source.id) });
}

async function stats() {
  const [archive, records, cached] = await Promise.all([archiveStats(db, isImporting(), describe, () => counts.get()), followed.all(), followed.cachedBytes()]);
  return {
    ...archive,
    // A followed index's posts are the archive's too, though only its manifest is stored.
    posts: archive.posts + records.reduce((n, r) => n + r.manifest.posts, 0),
    videos: archive.videos + records.reduce((n, r) => n + r.manifest.videos, 0),
    sources: [...archive.sources, ...records.map((r) => followedView(r, cached.get(r.id) ?? 0))],
    builtinRemoved: await isBuiltinRemoved(),
  };
}

/**
 * Two ranked lists as one, each kept in its own order: at each step the
 * head that matched in its title goes first, then the newer (scores of two
 * indexes do not compare further).
 */
function mergeRanked(a: readonly SearchHit[], b: readonly SearchHit[], limit: number): SearchHit[] {
  const titled = (hit: SearchHit) => (hit.matches?.title.length ? 1 : 0);
  const out: SearchHit[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = a[i];
    const y = b[j];
    const takeA = !y || (x !== undefined && (titled(x) - titled(y) || Date.parse(x.date) - Date.parse(y.date)) >= 0);
    out.push(takeA ? a[i++]! : b[j++]!);
  }
  return out;
}

/** A query's answers from the followed indexes (null when none is followed), or a video's posts in them. */
async function searchFollowed(input: string, limit: number): Promise<{ posts: SearchHit[]; total: number; approximate: boolean; tooShort: boolean; unreachable: string[] } | null> {
  if ((await followed.all()).length === 0) return null;
  const query = parseQuery(input);
  if (query.videoId) {
    const found = await followed.postsOf([query.videoId]);
    const posts = found.posts.map((p) => {
      const { summary: _s, folded: _f, ...hit } = toView(p, found.sources.get(p.sourceId));
      return hit;
    });
    return { posts, total: posts.length, approximate: false, tooShort: false, unreachable: found.unreachable };
  }
  const answer = await followed.search(query, limit);
  return { ...answer, posts: answer.hits.map(({ source, hit }) => followedHit(source, hit)) };
}

/** Posts by key, stored or (followed sources) from the cached shard they came in. */
async function postsByKey(keys: readonly string[]): Promise<Map<string, PostRecord>> {
  const found = new Map((await getPosts(db, keys)).flatMap((post) => (post ? [[post.key, post] as const] : [])));
  for (const key of keys.filter((k) => !found.has(k) && k.startsWith('published:'))) {
    const hit = await followed.post(key);
    if (hit) found.set(key, hit.post);
  }
  return found;
}

/**
 * Returns undefined (synchronously: "not answered here") for anything that is
 * not a request from the extension itself, else a promise of the envelope.
 */
export function handleMessage(message: unknown, sender: Runtime.MessageSender): Promise<Envelope<unknown>> | undefined {
  const origin = senderOrigin(sender);
  if (!origin || !isRequest(message)) return undefined;
  if (origin === 'content' && !CONTENT_REQUESTS.includes(message.type)) {
    const refused = userMessage('notForPages', message.type);
    return Promise.resolve({ ok: false, error: inEnglish(refused), message: refused });
  }
  return answer(message, sender);
}

async function answer(message: Request, sender: Runtime.MessageSender): Promise<Envelope<unknown>> {
  readerAsked(message.type);
  try {
    await ready();
    const handler = handlers[message.type] as (r: Request, s: Runtime.MessageSender) => Promise<unknown>;
    return { ok: true, value: await handler(message, sender) };
  } catch (e) {
    if (e instanceof UserFacingError) return { ok: false, error: e.message, message: e.userMessage };
    const failed = userMessage('somethingFailed', e instanceof Error ? e.message : String(e));
    return { ok: false, error: inEnglish(failed), message: failed };
  }
}
