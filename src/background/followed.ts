// Followed sources in the background: adding one (its manifest and
// membership filter only), the posts of videos it may hold (a lookup shard
// each, from the cache or the host), and checking it again at most once an
// hour. A shard the host cannot send is read from the cache when there is
// one, so a followed source works offline for what was looked up before.
import { base64Of, Membership, type MembershipData } from '../core/membership';
import { parsePost } from '../core/post';
import { readManifest, readShard, shardFile, shardOf, type PublishedManifest } from '../core/published';
import { sourceIdPart } from '../core/source-id';
import { decodeRow, docsFile, FACETS_FILE, META_FILE, readDocs, readFacets, readMeta, rowFile, searchPublished, type PublishedDoc, type PublishedHit, type SearchMeta, type SegmentFiles, type SegmentMeta } from '../core/published-search';
import { hasCriteria, type SearchQuery } from '../core/search';
import type { Facets } from '../core/facets';
import { mergeTwins } from '../core/twins';
import { inEnglish, userMessage, UserFacingError, type UserMessage } from '../core/user-messages';
import { shardKey, type FollowedRecord, type ShardRecord } from '../db/followed';
import { toRecord } from '../db/import';
import type { ArchiveDb, PostRecord, SourceRecord } from '../db/schema';
import type { ArchiveRepo } from '../core/site';
import { findIndex, MAX_MANIFEST_BYTES, MAX_SHARD_BYTES, PublishedHost } from '../sync/published-fetch';
import { LOCAL_HOSTS } from '../sync/sources';
import type { FetchLike } from '../sync/http';
import { toSourceView, toView } from '../db/queries';
import type { PostView, SearchHit, SourceView } from '../shared/messages';
import { asVideoId } from '../core/youtube';

/** How long the host's answer stands before it is asked again (with the ETag: a 304 when nothing changed). */
export const CHECK_EVERY_MS = 60 * 60 * 1000;
/** Shards kept in the cache, all followed sources together (≈33 KB each for society: ≈65 MB at most); the least recently confirmed go first. */
export const MAX_CACHED_SHARDS = 2000;
/** Decoded search files kept in memory, of each kind: rows of common grams are read by most queries. */
const MEMO_SIZE = 256;

export interface FollowedPosts {
  posts: PostRecord[];
  /** Posts that only link or embed the videos (asked for with `withMentions`), newest first within each index. */
  mentioned: { source: SourceRecord; doc: PublishedDoc }[];
  /** Records of the shape a synced source has, for the posts' views (links, names). */
  sources: Map<string, SourceRecord>;
  /** Followed sources that could not be asked (offline, an error) and had nothing cached: by name. */
  unreachable: string[];
}

/** A followed post's key names its source and video, so its text can be found again from the cache alone. */
export const followedPostKey = (sourceId: string, videoId: string, postId: string) => `${sourceId}|${videoId}|${postId}`;

export class FollowedSources {
  private records: Promise<Map<string, FollowedRecord>> | null = null;
  private filters = new Map<string, { build: string; set: Membership; mentions: Membership | null }>();
  private fetching = new Map<string, Promise<ShardRecord>>();
  private checking = new Map<string, Promise<void>>();
  private metas = new Map<string, Promise<SearchMeta | null>>();
  private rows = new Map<string, Promise<ReturnType<typeof decodeRow>>>();
  private docs = new Map<string, Promise<PublishedDoc[]>>();

  constructor(
    private readonly db: ArchiveDb,
    private readonly fetch: FetchLike,
    /** Told when what a followed source holds changed (added, removed, a new build). */
    private readonly changed: () => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Every followed source, from memory after the first read. */
  async all(): Promise<FollowedRecord[]> {
    this.records ??= this.db.followed.toArray().then((list) => new Map(list.map((r) => [r.id, r])));
    return [...(await this.records).values()];
  }

  /** Follows the index at `input` (its address, its manifest's, or its site's): fetches the manifest and filter only. */
  async add(input: string): Promise<FollowedRecord> {
    const found = await findIndex(input, this.fetch);
    const address = new URL(found.host.base);
    if (address.protocol !== 'https:' && !(address.protocol === 'http:' && LOCAL_HOSTS.includes(address.hostname))) {
      throw new UserFacingError(userMessage('publishedHttps'));
    }
    // Asked without an ETag: never 'unchanged'.
    const members = await this.members(found.host, found.manifest);
    if (members === 'unchanged') throw new UserFacingError(userMessage('publishedNotAnIndex', found.host.base, 'members.bin'));
    const id = `published:${sourceIdPart(found.host.base)}`;
    const existing = await this.db.followed.get(id);
    const record: FollowedRecord = {
      ...(await this.mentionFilter(found.host, found.manifest)),
      id, url: found.host.base, manifest: found.manifest, members: members.data,
      ...(found.etag ? { manifestEtag: found.etag } : {}), ...(members.etag ? { membersEtag: members.etag } : {}),
      addedAt: existing?.addedAt ?? this.now(), checkedAt: this.now(),
    };
    await this.db.transaction('rw', this.db.followed, this.db.followedBytes, async () => {
      await this.db.followed.put(record);
      if (!(await this.db.followedBytes.get(id))) await this.db.followedBytes.put({ id, bytes: 0 });
    });
    this.forget();
    return record;
  }

  async remove(id: string): Promise<boolean> {
    const existing = await this.db.followed.get(id);
    if (!existing) return false;
    await this.db.transaction('rw', this.db.followed, this.db.shards, this.db.followedBytes, async () => {
      await this.db.followed.delete(id);
      await this.db.shards.where('sourceId').equals(id).delete();
      await this.db.followedBytes.delete(id);
    });
    this.forget();
    return true;
  }

  /**
   * Asks the host whether the index changed (a 304 when it did not). A new
   * build brings its filter; cached shards are asked again when next used.
   * Concurrent checks of a source share one.
   */
  check(id: string): Promise<void> {
    let pending = this.checking.get(id);
    if (!pending) {
      pending = this.checkNow(id).finally(() => this.checking.delete(id));
      this.checking.set(id, pending);
    }
    return pending;
  }

  private async checkNow(id: string): Promise<void> {
    const record = await this.db.followed.get(id);
    if (!record) return;
    const host = new PublishedHost(record.url, this.fetch);
    try {
      const got = await host.get('manifest.json', record.manifestEtag, MAX_MANIFEST_BYTES);
      if (got.status === 'missing') throw new UserFacingError(userMessage('publishedNotFound', record.url));
      if (got.status === 'unchanged') {
        await this.save({ ...record, checkedAt: this.now(), lastError: undefined });
        return;
      }
      const manifest = readManifest(new TextDecoder().decode(got.bytes));
      if (!manifest.ok) throw new UserFacingError(userMessage('publishedNotAnIndex', record.url, manifest.message));
      const next: FollowedRecord = { ...record, manifest: manifest.value, checkedAt: this.now(), lastError: undefined, ...(got.etag ? { manifestEtag: got.etag } : {}) };
      if (manifest.value.build !== record.manifest.build) {
        const members = await this.members(host, manifest.value, record.manifest.memberBits === manifest.value.memberBits ? record.membersEtag : undefined);
        if (members !== 'unchanged') {
          next.members = members.data;
          if (members.etag) next.membersEtag = members.etag;
        }
        delete next.mentions;
        delete next.mentionsEtag;
        Object.assign(next, await this.mentionFilter(host, manifest.value, record));
        // Shards of another size hold other videos: none of the cached ones can answer now.
        if (manifest.value.shardBits !== record.manifest.shardBits) {
          await this.db.transaction('rw', this.db.shards, this.db.followedBytes, async () => {
            await this.db.shards.where('sourceId').equals(id).and((file) => file.shard.startsWith('lookup/')).delete();
            let bytes = 0;
            await this.db.shards.where('sourceId').equals(id).each((file) => void (bytes += file.bytes));
            await this.db.followedBytes.put({ id, bytes });
          });
        }
      }
      await this.save(next);
      if (manifest.value.build !== record.manifest.build) this.changed();
    } catch (e) {
      const message: UserMessage = e instanceof UserFacingError ? e.userMessage : userMessage('somethingFailed', e instanceof Error ? e.message : String(e));
      await this.save({ ...record, lastError: { at: this.now(), message: inEnglish(message), error: message } });
      throw e;
    }
  }

  private async save(record: FollowedRecord): Promise<void> {
    if (record.lastError === undefined) delete record.lastError;
    await this.db.transaction('rw', this.db.followed, this.db.followedBytes, async () => {
      // Removed meanwhile: not brought back.
      if (await this.exists(record.id)) await this.db.followed.put(record);
    });
    this.forget();
  }

  /**
   * Whether a source is still followed, without reading its record (its
   * filters are a megabyte at ×32): its row of bytes is made with it and
   * removed with it.
   */
  private async exists(id: string): Promise<boolean> {
    return (await this.db.followedBytes.get(id)) !== undefined;
  }

  /** A filter of the index: members.bin (archived videos), or mentions.bin (videos only linked or embedded). */
  private async members(host: PublishedHost, manifest: PublishedManifest, etag?: string, file: 'members.bin' | 'mentions.bin' = 'members.bin'): Promise<{ data: MembershipData; etag: string | null } | 'unchanged'> {
    const bits = file === 'members.bin' ? manifest.memberBits : manifest.mentionBits;
    const got = await host.get(file, etag, bits / 8 + 1);
    if (got.status === 'unchanged') return 'unchanged';
    if (got.status !== 'changed' || !Membership.fromBytes(got.bytes, bits)) {
      throw new UserFacingError(userMessage('publishedNotAnIndex', host.base, `${file} is missing or not of the size the manifest gives`));
    }
    return { data: { bits, data: base64Of(got.bytes) }, etag: got.etag };
  }

  /** The filter of mentioned videos, when the index has one (a record to save with it). */
  private async mentionFilter(host: PublishedHost, manifest: PublishedManifest, record?: FollowedRecord): Promise<Pick<FollowedRecord, 'mentions' | 'mentionsEtag'>> {
    if (!manifest.mentionBits) return {};
    const same = record?.mentions && record.manifest.mentionBits === manifest.mentionBits;
    const got = await this.members(host, manifest, same ? record.mentionsEtag : undefined, 'mentions.bin');
    if (got === 'unchanged') return { mentions: record!.mentions, ...(record!.mentionsEtag ? { mentionsEtag: record!.mentionsEtag } : {}) };
    return { mentions: got.data, ...(got.etag ? { mentionsEtag: got.etag } : {}) };
  }

  /**
   * Stops following the indexes whose whole archive is now synced here ("Keep
   * a full copy", or the repository added from GitHub): their posts would show
   * twice. Answers how many.
   */
  async settle(syncedHere: (repo: ArchiveRepo) => boolean): Promise<number> {
    let removed = 0;
    for (const record of await this.all()) {
      if (record.manifest.repo && syncedHere(record.manifest.repo) && (await this.remove(record.id))) removed++;
    }
    return removed;
  }

  /** The followed sources' filters, and a version that changes when any does. */
  async memberSets(): Promise<{ version: string; sets: MembershipData[] }> {
    const records = await this.all();
    return {
      version: records.map((r) => `${r.id}:${r.manifest.build}`).sort().join('|'),
      sets: records.map((r) => ({ bits: r.members.bits, data: r.members.data })),
    };
  }

  /** The record's filters, decoded once per build: archived videos, and videos only mentioned. */
  private filter(record: FollowedRecord): { mayHold(video: string): boolean; mayMention(video: string): boolean } {
    let known = this.filters.get(record.id);
    if (known?.build !== record.manifest.build) {
      known = { build: record.manifest.build, set: Membership.from(record.members), mentions: record.mentions ? Membership.from(record.mentions) : null };
      this.filters.set(record.id, known);
    }
    const { set, mentions } = known;
    return { mayHold: (video) => set.mayHold(video), mayMention: (video) => mentions?.mayHold(video) ?? false };
  }

  /** The followed posts of these videos: a shard for each that a source's filter may hold (nothing asked for the rest). */
  async postsOf(videoIds: readonly string[], withMentions = false): Promise<FollowedPosts> {
    const out: FollowedPosts = { posts: [], mentioned: [], sources: new Map(), unreachable: [] };
    for (const record of await this.all()) {
      if (this.now() - record.checkedAt > CHECK_EVERY_MS) void this.check(record.id).catch(() => {});
      const filter = this.filter(record);
      const byShard = new Map<string, string[]>();
      for (const video of videoIds) {
        if (!filter.mayHold(video) && !(withMentions && filter.mayMention(video))) continue;
        const shard = shardOf(video, record.manifest.shardBits);
        byShard.set(shard, [...(byShard.get(shard) ?? []), video]);
      }
      if (byShard.size === 0) continue;
      out.sources.set(record.id, asSource(record));
      const shards = await Promise.all([...byShard.keys()].map((shard) => this.shard(record, shard).catch(() => null)));
      if (shards.includes(null)) out.unreachable.push(record.manifest.name);
      for (const [i, videos] of [...byShard.values()].entries()) {
        const shard = shards[i];
        if (!shard) continue;
        for (const video of videos) {
          out.posts.push(...postsIn(record, shard, video));
          if (withMentions && shard.mentions && Object.hasOwn(shard.mentions, video)) out.mentioned.push(...shard.mentions[video]!.map((doc) => ({ source: out.sources.get(record.id)!, doc })));
        }
      }
    }
    return out;
  }

  /** A followed post by its key (followedPostKey), from the cached shard it came in. */
  async post(key: string): Promise<{ post: PostRecord; source: SourceRecord } | undefined> {
    for (const record of await this.all()) {
      if (!key.startsWith(`${record.id}|`)) continue;
      const rest = key.slice(record.id.length + 1);
      const video = asVideoId(rest.slice(0, 11));
      if (!video || rest[11] !== '|') return undefined;
      // A post listed from the docs files (the library, search) is named by its path (docPostKey).
      const path = rest.startsWith('@', 12) ? rest.slice(13) : null;
      const shard = await this.shard(record, shardOf(video, record.manifest.shardBits)).catch(() => null);
      const post = shard && postsIn(record, shard, video).find((p) => (path === null ? p.key === key : p.paths.includes(path)));
      return post ? { post, source: asSource(record) } : undefined;
    }
    return undefined;
  }

  /**
   * A query's best `limit` posts in each followed index that publishes a
   * search index (core/published-search.ts): a few rows and docs files each,
   * cached like shards. An index that cannot be asked is named in `unreachable`.
   */
  async search(query: SearchQuery, limit: number): Promise<{ hits: { source: SourceRecord; hit: PublishedHit }[]; total: number; approximate: boolean; tooShort: boolean; unreachable: string[] }> {
    const out = { hits: [] as { source: SourceRecord; hit: PublishedHit }[], total: 0, approximate: false, tooShort: false, unreachable: [] as string[] };
    await Promise.all((await this.all()).map(async (record) => {
      try {
        const meta = await this.searchMeta(record);
        if (!meta) return;
        const answer = await searchPublished(query, meta.segments.map((segment) => this.files(record, segment)), limit);
        const source = asSource(record);
        out.hits.push(...answer.hits.map((hit) => ({ source, hit })));
        out.total += answer.total;
        out.approximate ||= answer.approximate;
        out.tooShort ||= answer.tooShort === true;
      } catch {
        out.unreachable.push(record.manifest.name);
      }
    }));
    return out;
  }

  /** A followed index's search files, decoded, from memory, the cache or the host. */
  private files(record: FollowedRecord, meta: SegmentMeta): SegmentFiles {
    const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());
    return {
      meta,
      row: (row) => this.memo(this.rows, `${record.id}|${meta.id}|${row}`, async () =>
        decodeRow((await this.cachedFile(record, rowFile(meta.id, row), MAX_SHARD_BYTES, (bytes) => (decodeRow(bytes) ? { body: bytes } : null))).body ?? new Uint8Array())),
      docs: (n) => this.memo(this.docs, `${record.id}|${meta.id}|${n}`, async () =>
        readDocs(text((await this.cachedFile(record, docsFile(meta.id, n), MAX_SHARD_BYTES, (bytes) => (readDocs(text(bytes)) ? { body: bytes } : null))).body)) ?? []),
    };
  }

  /**
   * A page of what the library lists of the followed indexes, after the
   * archive's own posts: everything newest first, or a query's answers best
   * first; the indexes one after another.
   */
  async browse(query: SearchQuery, offset: number, limit: number): Promise<{ posts: PostView[]; total: number; approximate: boolean; tooShort: boolean }> {
    const out = { posts: [] as PostView[], total: 0, approximate: false, tooShort: false };
    let skip = offset;
    for (const record of await this.all()) {
      const meta = await this.searchMeta(record).catch(() => null);
      if (!meta) continue;
      const source = asSource(record);
      const wanted = limit - out.posts.length;
      if (!hasCriteria(query) && !query.videoId) {
        out.total += meta.posts;
        // Newest first: the newest segment first (the posts added since the base), each from its highest ordinal, past its gone ones.
        for (const segment of [...meta.segments].reverse()) {
          const files = this.files(record, segment);
          const gone = new Set(segment.gone);
          for (let ordinal = segment.posts - 1; ordinal >= 0 && out.posts.length < limit; ordinal--) {
            if (gone.has(ordinal)) continue;
            if (skip > 0) {
              skip--;
              continue;
            }
            const doc = (await files.docs(Math.floor(ordinal / segment.docsPerFile)))[ordinal % segment.docsPerFile];
            if (doc) out.posts.push(docView(source, doc, segment.id, ordinal));
          }
        }
        continue;
      }
      const answer = await searchPublished(query, meta.segments.map((segment) => this.files(record, segment)), skip + Math.max(wanted, 0));
      out.total += answer.total;
      out.approximate ||= answer.approximate;
      out.tooShort ||= answer.tooShort === true;
      if (wanted > 0) out.posts.push(...answer.hits.slice(skip, skip + wanted).map((hit) => docView(source, hit.doc, hit.segment, hit.ordinal, hit.matches)));
      skip = Math.max(0, skip - answer.total);
    }
    return out;
  }

  /** The library's counts for each followed index that publishes them. */
  async facets(): Promise<{ posts: number; facets: Facets }[]> {
    const all = await Promise.all((await this.all()).map(async (record) => {
      const file = await this.cachedFile(record, FACETS_FILE, MAX_SHARD_BYTES, (bytes) => (readFacets(new TextDecoder().decode(bytes)) ? { body: bytes } : null)).catch(() => null);
      const facets = file?.body ? readFacets(new TextDecoder().decode(file.body)) : null;
      return facets ? [{ posts: record.manifest.posts, facets }] : [];
    }));
    return all.flat();
  }

  /** The search index's meta file of a followed index; null when the index publishes none. */
  private async searchMeta(record: FollowedRecord): Promise<SearchMeta | null> {
    return this.memo(this.metas, `${record.id}|${record.manifest.build}`, async () => {
      const file = await this.cachedFile(record, META_FILE, MAX_SHARD_BYTES, (bytes) => (readMeta(new TextDecoder().decode(bytes)) ? { body: bytes } : null));
      return file.body ? readMeta(new TextDecoder().decode(file.body)) : null;
    });
  }

  /** Decoded search files kept in memory by key, the least recently used dropped past MEMO_SIZE. */
  private async memo<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let value = cache.get(key);
    if (value) cache.delete(key);
    else value = load();
    cache.set(key, value);
    value.catch(() => cache.delete(key));
    while (cache.size > MEMO_SIZE) cache.delete(cache.keys().next().value!);
    return value;
  }

  /** The bytes of posts cached for each followed source. */
  async cachedBytes(): Promise<Map<string, number>> {
    return new Map((await this.db.followedBytes.toArray()).map((row) => [row.id, row.bytes]));
  }

  /** A lookup shard (its videos checked to belong in it), from the cache or the host. */
  private shard(record: FollowedRecord, shard: string): Promise<ShardRecord> {
    return this.cachedFile(record, shardFile(shard), MAX_SHARD_BYTES, (bytes) => {
      const read = readShard(new TextDecoder().decode(bytes), shard, record.manifest.shardBits);
      return read.ok ? { videos: Object.fromEntries(read.value.videos), ...(read.value.mentions.size ? { mentions: Object.fromEntries(read.value.mentions) } : {}) } : null;
    });
  }

  /**
   * A file of the index from the cache while the host's answer stands (an
   * hour, and the same build), else asked with its ETag; a file the host
   * does not have is kept as empty. Offline, or when the host fails or sends
   * something `read` refuses, the cached copy answers; without one, the
   * error does. Concurrent asks share one.
   */
  private cachedFile(record: FollowedRecord, name: string, limit: number, read: (bytes: Uint8Array) => Partial<Pick<ShardRecord, 'videos' | 'body' | 'mentions'>> | null): Promise<ShardRecord> {
    const key = shardKey(record.id, name);
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.fetchFile(record, name, key, limit, read).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return pending;
  }

  private async fetchFile(record: FollowedRecord, name: string, key: string, limit: number, read: (bytes: Uint8Array) => Partial<Pick<ShardRecord, 'videos' | 'body' | 'mentions'>> | null): Promise<ShardRecord> {
    const cached = await this.db.shards.get(key);
    if (cached && cached.build === record.manifest.build && this.now() - cached.checkedAt < CHECK_EVERY_MS) return cached;
    const host = new PublishedHost(record.url, this.fetch);
    let got;
    try {
      got = await host.get(name, cached?.etag, limit);
    } catch (e) {
      // Offline, or the host failing: what was fetched before still answers.
      if (cached) return cached;
      throw e;
    }
    const base = { key, sourceId: record.id, shard: name, build: record.manifest.build, checkedAt: this.now() };
    let next: ShardRecord;
    if (got.status === 'unchanged' && cached) {
      next = { ...cached, ...base };
    } else if (got.status === 'changed') {
      const content = read(got.bytes);
      if (!content) {
        if (cached) return cached;
        throw new UserFacingError(userMessage('publishedNotAnIndex', record.url, `${name} is not what its name says`));
      }
      next = {
        ...base, bytes: got.bytes.length, videos: content.videos ?? {}, ...(content.mentions ? { mentions: content.mentions } : {}),
        ...(content.body ? { body: content.body } : {}), ...(got.etag ? { etag: got.etag } : {}),
      };
    } else {
      // No such file: for a shard, no video of the index is in it (a filter's false positive).
      next = { ...base, bytes: 0, videos: {} };
    }
    const grew = next.bytes - (cached?.bytes ?? 0);
    await this.db.transaction('rw', this.db.followed, this.db.shards, this.db.followedBytes, async () => {
      if (!(await this.exists(record.id))) return;
      await this.db.shards.put(next);
      if (grew) await this.addBytes(record.id, grew);
    });
    if (!cached) await this.evict();
    return next;
  }

  /**
   * Keeps a source's tally of cached bytes in a row of its own: the options
   * page shows it, summing the cache would read all of it, and the source's
   * record (a megabyte of filters at ×32) is not written for each file.
   */
  private async addBytes(id: string, bytes: number): Promise<void> {
    const row = await this.db.followedBytes.get(id);
    await this.db.followedBytes.put({ id, bytes: Math.max(0, (row?.bytes ?? 0) + bytes) });
  }

  /** Keeps the cache at MAX_CACHED_SHARDS, dropping the shards least recently confirmed. */
  private async evict(): Promise<void> {
    const over = (await this.db.shards.count()) - MAX_CACHED_SHARDS;
    if (over <= 0) return;
    await this.db.transaction('rw', this.db.shards, this.db.followedBytes, async () => {
      const oldest = await this.db.shards.orderBy('checkedAt').limit(over).toArray();
      await this.db.shards.bulkDelete(oldest.map((file) => file.key));
      const freed = new Map<string, number>();
      for (const file of oldest) freed.set(file.sourceId, (freed.get(file.sourceId) ?? 0) + file.bytes);
      for (const [id, bytes] of freed) await this.addBytes(id, -bytes);
    });
  }

  /** The list in memory is read again at next use. */
  forget(): void {
    this.records = null;
  }
}

/** A followed source as the views of its posts need it (name, repository, site). */
export function asSource(record: FollowedRecord): SourceRecord {
  return {
    id: record.id, kind: 'published', name: record.manifest.name, repo: record.manifest.repo, site: record.manifest.site,
    postCount: record.manifest.posts, failureCount: 0, importedAt: record.addedAt,
  };
}

/** The key of a post listed from a docs file: its whole text is found again by its video's shard and its path. */
export const docPostKey = (sourceId: string, videoId: string, path: string) => `${sourceId}|${videoId}|@${path}`;

/**
 * A post of a followed index as the library lists it, from its docs file:
 * the opening of its text, the rest read (postText) from its video's shard.
 */
export function docView(source: SourceRecord, doc: PublishedDoc, segment: string, ordinal: number, matches?: PublishedHit['matches']): PostView {
  const post = {
    ...doc, id: `${segment}:${ordinal}`, key: doc.videoId ? docPostKey(source.id, doc.videoId, doc.path) : `${source.id}|#${segment}:${ordinal}`,
    paths: [doc.path], summary: doc.head, bodyHtml: '', mentions: [], sourceId: source.id, gen: 0, mentionIds: [],
    sourceUrl: doc.videoId ? `https://www.youtube.com/watch?v=${doc.videoId}` : '', videoIds: doc.videoId ? [doc.videoId] : [],
  } as unknown as PostRecord;
  const view = toView(post, source);
  // An article has no shard to read the rest from: its opening is what the library shows.
  return { ...view, ...(doc.length && doc.videoId ? { summaryLength: doc.length } : {}), ...(matches ? { matches } : {}) };
}

/** A search result of a followed index as the popup lists it (its excerpt from the post's opening). */
export function followedHit(source: SourceRecord, hit: PublishedHit): SearchHit {
  const { summary: _summary, folded: _folded, summaryLength: _length, ...view } = docView(source, hit.doc, hit.segment, hit.ordinal, hit.matches);
  return view;
}

/** A followed source as the options page lists it. */
export function followedView(record: FollowedRecord, cachedBytes: number): SourceView {
  const repo = record.manifest.repo;
  return {
    ...toSourceView(asSource(record)),
    storedBytes: cachedBytes,
    published: {
      url: record.url, repository: repo ? `${repo.owner}/${repo.name}` : null, videos: record.manifest.videos,
      checkedAt: record.checkedAt, cachedBytes, error: record.lastError?.error ?? null,
    },
  };
}

/** A video's posts in a shard, parsed as a sync would (twins made one). */
function postsIn(record: FollowedRecord, shard: ShardRecord, videoId: string): PostRecord[] {
  const files = Object.hasOwn(shard.videos, videoId) ? shard.videos[videoId]! : [];
  const parsed = files.map((file) => parsePost(file.text, file.path, { timeZone: record.manifest.site?.timezone }))
    .flatMap((result) => (result.ok && result.post.videoId === videoId ? [result.post] : []));
  return mergeTwins(parsed).map((post) => ({ ...toRecord(record.id, 0, post), key: followedPostKey(record.id, videoId, post.id) }));
}
