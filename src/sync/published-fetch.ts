// Reading a published index (core/published.ts) from its host: the
// manifest, the membership filter and lookup shards, each with `If-None-Match`
// so an unchanged file costs a 304. Requests carry file names only (a shard
// is named by a hash prefix, never a video id), no cookies and no referrer.
// No `browser` here: the background uses it, and tests run it in Node.
import { concatBytes } from '../core/bytes';
import { userMessage, UserFacingError } from '../core/user-messages';
import { indexAddresses, readManifest, type PublishedManifest } from '../core/published';
import { capped, gunzip, type FetchLike } from './http';

/** Largest file of an index ArchiveLens reads: a shard of a few dozen videos is tens of KB; a hostile one is cut off here. */
export const MAX_SHARD_BYTES = 32 * 1024 ** 2;
export const MAX_MANIFEST_BYTES = 64 * 1024;

export type Got = { status: 'changed'; bytes: Uint8Array; etag: string | null } | { status: 'unchanged' } | { status: 'missing' };

export class PublishedHost {
  requests = 0;
  bytes = 0;

  constructor(readonly base: string, private readonly fetch: FetchLike) {}

  get host(): string {
    return new URL(this.base).host;
  }

  /** A file of the index; `etag`: what the cache holds, answered `unchanged` when the host says 304. */
  async get(name: string, etag: string | undefined, limit: number, signal?: AbortSignal): Promise<Got> {
    const url = new URL(name, this.base).href;
    let response: Response;
    this.requests++;
    try {
      response = await this.fetch(url, {
        headers: etag ? { 'If-None-Match': etag } : {},
        // Our own cache decides when to ask again (an hour); the browser's must not answer for the host.
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new UserFacingError(userMessage('offlineHost', this.host));
    }
    if (response.status === 304) return { status: 'unchanged' };
    if (response.status === 404) {
      await response.body?.cancel();
      return { status: 'missing' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new UserFacingError(response.status >= 500 ? userMessage('bundleServer', this.host, String(response.status)) : userMessage('bundleOther', this.host, String(response.status)));
    }
    const tooLarge = () => new UserFacingError(userMessage('publishedNotAnIndex', this.base, `${name} is larger than ${Math.round(limit / 1024 ** 2)} MiB`));
    const bytes = await readCapped(response, limit, tooLarge);
    this.bytes += bytes.length;
    return { status: 'changed', bytes: name.endsWith('.gz') ? await this.unpack(bytes, name, limit, tooLarge) : bytes, etag: response.headers.get('etag') };
  }

  /** A file stored gzipped (core/published.ts), at most `limit` bytes unpacked. */
  private async unpack(bytes: Uint8Array, name: string, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let length = 0;
    try {
      for await (const part of capped(gunzip((async function* () { yield bytes; })()), limit, tooLarge)) {
        parts.push(part);
        length += part.length;
      }
    } catch (e) {
      if (e instanceof UserFacingError) throw e;
      throw new UserFacingError(userMessage('publishedNotAnIndex', this.base, `${name} is not gzip`));
    }
    return concatBytes(parts, length);
  }
}

async function readCapped(response: Response, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return concatBytes(parts, length);
}

export interface FoundIndex {
  host: PublishedHost;
  manifest: PublishedManifest;
  etag: string | null;
}

/** The index at the address the reader gave (or in its site's `archivelens/` folder), with its manifest checked. */
export async function findIndex(input: string, fetch: FetchLike, signal?: AbortSignal): Promise<FoundIndex> {
  const addresses = indexAddresses(input);
  if (!addresses) throw new UserFacingError(userMessage('publishedAddress'));
  for (const address of addresses) {
    const host = new PublishedHost(address, fetch);
    const got = await host.get('manifest.json', undefined, MAX_MANIFEST_BYTES, signal);
    if (got.status !== 'changed') continue;
    const manifest = readManifest(new TextDecoder().decode(got.bytes));
    if (!manifest.ok) throw new UserFacingError(userMessage('publishedNotAnIndex', address, manifest.message));
    return { host, manifest: manifest.value, etag: got.etag };
  }
  throw new UserFacingError(userMessage('publishedNotFound', addresses[0]!));
}
