// GitHub's recursive tree listing (`git/trees/{sha}?recursive=1`), read entry
// by entry as it streams. The listing of 122,000 files is 30 MB of JSON:
// parsed whole it was 60 MB of text and 90 MB of objects at once in the
// service worker, the largest moment of a large first sync. Read as it
// streams, only the entries kept (post files: path, sha, size) stay, and
// the rest is short-lived garbage. @streamparser/json does the parsing.
import { JSONParser } from '@streamparser/json';
import { SyncError } from '../core/github';
import { ShaTableBuilder, type ShaTable } from '../core/sha-table';
import type { KnownFile } from '../core/sync-plan';
import { userMessage } from '../core/user-messages';
import { cancelled, type Http } from './http';

export interface Listing {
  /** The blobs `keep` wanted (none kept when only their shas were asked for). */
  files: KnownFile[];
  /** How many blobs `keep` wanted. */
  count: number;
  /** Their shas by path, when asked for instead of the files. */
  shas?: ShaTable;
  /** The blob sha of `_config.yml`, when there is one. */
  configSha?: string;
  /** GitHub lists at most 100,000 entries (about 7 MB); past that it says so here. */
  truncated: boolean;
  /** The shas of the listed trees `trees` wanted, by path (git-tree.ts). */
  trees: Record<string, string>;
}

export interface ListingOptions {
  /** Only the blobs' shas are wanted (a first sync, which plans nothing from paths). */
  shasOnly?: boolean;
  /** The listed tree's path: its entries' paths are relative to it. */
  prefix?: string;
  /** Which trees' shas to keep. */
  trees?: (path: string) => boolean;
}

interface TreeEntry {
  path?: unknown;
  type?: unknown;
  sha?: unknown;
  size?: unknown;
}

/**
 * Reads a listing; with `shasOnly` (a first sync, which plans nothing from
 * paths) the kept blobs go straight into a sha table and no entry outlives
 * its moment in the parser.
 */
export async function readListing(http: Http, response: Response, keep: (path: string) => boolean, options: ListingOptions = {}): Promise<Listing> {
  const listing: Listing = { files: [], count: 0, truncated: false, trees: {} };
  const shas = options.shasOnly ? new ShaTableBuilder() : null;
  const prefix = options.prefix ? `${options.prefix}/` : '';
  const parser = new JSONParser({ paths: ['$.tree.*', '$.truncated'], keepStack: false });
  parser.onValue = ({ value, key }) => {
    if (key === 'truncated') {
      listing.truncated = value === true;
      return;
    }
    const entry = value as TreeEntry;
    if (typeof entry.path !== 'string' || typeof entry.sha !== 'string') return;
    const path = prefix + entry.path;
    if (entry.type === 'tree' && options.trees?.(path)) listing.trees[path] = entry.sha;
    if (entry.type !== 'blob') return;
    if (path === '_config.yml') listing.configSha = entry.sha;
    if (!keep(path)) return;
    listing.count++;
    if (shas) shas.add(path, entry.sha);
    else listing.files.push(typeof entry.size === 'number' ? { path, sha: entry.sha, size: entry.size } : { path, sha: entry.sha });
  };
  const chunks = http.chunks(response);
  for (;;) {
    let step: IteratorResult<Uint8Array>;
    try {
      step = await chunks.next();
    } catch {
      if (http.signal.aborted) throw cancelled();
      throw new SyncError('offline', userMessage('downloadBroke'), true);
    }
    if (step.done) break;
    parser.write(step.value);
  }
  // A body cut short: the listing is incomplete, which a retry mends.
  if (!parser.isEnded) throw new SyncError('offline', userMessage('downloadBroke'), true);
  if (shas) listing.shas = shas.build();
  return listing;
}
