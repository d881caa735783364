// GitHub's recursive tree listing (`git/trees/{sha}?recursive=1`), read entry
// by entry as it streams. The listing of 122,000 files is 30 MB of JSON:
// parsed whole it was 60 MB of text and 90 MB of objects at once in the
// service worker, the largest moment of a large first sync. Read as it
// streams, only the entries kept (post files: path, sha, size) stay, and
// the rest is short-lived garbage.
//
// The listing's entries are flat objects: each is found in the text by one
// regular expression and handed to JSON.parse. A generic streaming JSON
// parser (@streamparser/json, before) goes character by character in
// JavaScript: 505 ms of the service worker's time for the listing of 30,542
// posts in Chromium, a tenth of that sync's work on its thread.
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
  const take = (entry: TreeEntry) => {
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
  const scanner = new ListingScanner(take);
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
    // A slice at a time: Firefox may hand over the whole listing (7 MB) at once, which
    // decoded whole was a string of 8 million characters (17 MiB) scanned in one go.
    for (let at = 0; at < step.value.length; at += SCAN_BYTES) scanner.write(step.value.subarray(at, at + SCAN_BYTES));
  }
  // A body cut short: the listing is incomplete, which a retry mends.
  const end = scanner.end();
  if (!end) throw new SyncError('offline', userMessage('downloadBroke'), true);
  listing.truncated = end.truncated === true;
  if (shas) listing.shas = shas.build();
  return listing;
}

/** The start of the `tree` array: a key, so preceded by `{` or `,` (never by the backslash of a string's escaped quote). */
const TREE_START = /[{,]\s*"tree"\s*:\s*\[/;
/** One entry of the array (a flat object: strings may hold braces and escaped quotes), after its comma. */
const ENTRY = /\s*,?\s*(\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})/y;
const ARRAY_END = /\s*\]/y;
/** Bytes of the listing decoded and scanned at a time. */
const SCAN_BYTES = 256 * 1024;
/** More text than any one entry: a listing that is not what GitHub sends. */
const MAX_PENDING = 1 << 20;

/**
 * Finds a tree listing's entries in its text as it streams, and parses what
 * follows the array (`truncated`) once the body has ended.
 */
class ListingScanner {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private state: 'head' | 'tree' | 'tail' = 'head';
  /** The keys before the array (GitHub sends `sha` and `url` there, `truncated` after). */
  private head: Record<string, unknown> = {};

  constructor(private readonly entry: (entry: TreeEntry) => void) {}

  write(bytes: Uint8Array): void {
    this.pending += this.decoder.decode(bytes, { stream: true });
    if (this.state === 'head') {
      const start = TREE_START.exec(this.pending);
      if (!start) return this.check();
      this.head = parseObject(start[0].startsWith(',') ? `${this.pending.slice(0, start.index)}}` : '{}');
      this.pending = this.pending.slice(start.index + start[0].length);
      this.state = 'tree';
    }
    if (this.state === 'tree') {
      let at = 0;
      for (;;) {
        ENTRY.lastIndex = at;
        const found = ENTRY.exec(this.pending);
        if (!found) break;
        this.entry(parseObject(found[1]!) as TreeEntry);
        at = ENTRY.lastIndex;
      }
      ARRAY_END.lastIndex = at;
      if (ARRAY_END.test(this.pending)) {
        this.state = 'tail';
        at = ARRAY_END.lastIndex;
      }
      this.pending = this.pending.slice(at);
    }
    this.check();
  }

  /** What follows the array (`truncated`), or null when the body broke off before its end. */
  end(): { truncated?: unknown } | null {
    this.pending += this.decoder.decode();
    if (this.state !== 'tail') return null;
    try {
      return { ...this.head, ...parseObject(`{"tree":[]${this.pending}`) };
    } catch {
      return null;
    }
  }

  private check(): void {
    if (this.state !== 'tail' && this.pending.length > MAX_PENDING) throw new SyncError('other', userMessage('githubBadListing'));
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // below
  }
  throw new SyncError('other', userMessage('githubBadListing'));
}
