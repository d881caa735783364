// Git's tree objects, for archives too large for one listing. GitHub lists a
// tree recursively up to 100,000 entries (about 7 MB) and then says
// `truncated`; past that, a sync walks the folders' sub-trees and lists only
// those whose tree sha changed since the last sync. A full sync learns the
// trees' shas without a request: the tarball holds every file of the commit,
// and a tree's sha is the sha-1 of its entries' names, modes and shas.
// A sha computed wrongly (a tarball that differs from the tree, as
// `export-ignore` would make it) only costs a listing: a changed sha is
// listed, and two equal shas mean equal content.

import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { gitBlobSha } from './github';
import type { TarEntry } from './tar';

const utf8 = new TextEncoder();

export interface GitTreeEntry {
  name: string;
  /** Git's mode: '100644', '100755', '120000' (a link) or '40000' (a tree). */
  mode: string;
  sha: string;
}

/** What `git mktree` gives these entries. */
export function gitTreeSha(entries: readonly GitTreeEntry[]): string {
  // Git orders entries by the bytes of their names, a tree's name as if it ended in '/'.
  // The names encoded in one call (a name never holds NUL): a call per name was most of this function's time at 122,000 files.
  const joined = utf8.encode(entries.map((e) => e.name).join('\0'));
  let start = 0;
  const keyed = entries.map((e) => {
    const end = joined.indexOf(0, start);
    const name = joined.subarray(start, end < 0 ? joined.length : end);
    start = name.byteOffset - joined.byteOffset + name.length + 1;
    return { e, name, tree: e.mode === '40000' };
  });
  keyed.sort((a, b) => compareNames(a.name, a.tree, b.name, b.tree));
  let length = 0;
  for (const { e, name } of keyed) length += e.mode.length + 1 + name.length + 1 + 20;
  const data = new Uint8Array(length);
  let at = 0;
  for (const { e, name } of keyed) {
    for (let i = 0; i < e.mode.length; i++) data[at++] = e.mode.charCodeAt(i);
    data[at++] = 0x20;
    data.set(name, at);
    at += name.length;
    data[at++] = 0;
    for (let i = 0; i < 40; i += 2) data[at++] = (nibble(e.sha.charCodeAt(i)) << 4) | nibble(e.sha.charCodeAt(i + 1));
  }
  return bytesToHex(sha1.create().update(ascii(`tree ${length}\0`)).update(data).digest());
}

/** The mode git gives a tarball's entry: an executable keeps its bit, a link is 120000. */
export function gitMode(tarMode: number, link: boolean): string {
  return link ? '120000' : tarMode & 0o100 ? '100755' : '100644';
}

/** A blob's or tree's sha: known, not to be known (null), or still being computed. */
export type ShaSoon = string | null | Promise<string | null>;

interface OpenTree {
  path: string;
  entries: { name: string; mode: string; sha: string | Promise<string | null> }[];
  /** An entry's sha is not known (a file too large to read, an unknown kind): so is the tree's. */
  unknown: boolean;
}

/**
 * The shas of the trees inside `inside`, from a tarball's entries in its
 * order. `git archive` writes each tree's entries together, so a tree is
 * done when an entry outside it comes; only the open trees are held, and
 * closed ones whose blobs' shas are still coming (a sync's parse computes
 * them, in the engine's worker: github-sync.ts).
 */
export class TreeHasher {
  private readonly open: OpenTree[] = [];
  private readonly trees = new Map<string, string | Promise<string | null>>();
  /** Trees seen closed or unknown: one that opens again was not written together, and is unknown. */
  private readonly closed = new Set<string>();

  constructor(private readonly inside: (dir: string) => boolean) {}

  /** A blob (sha null when it could not be read; a promise while it is computed) of `path`, relative to the commit's root. */
  blob(path: string, mode: string, sha: ShaSoon): void {
    const cut = path.lastIndexOf('/');
    let top = this.open.at(-1);
    // Most entries are in the tree the last one was in.
    if (!top || top.path.length !== Math.max(cut, 0) || !path.startsWith(top.path) || (cut >= 0 && path[top.path.length] !== '/')) {
      const dir = cut < 0 ? '' : path.slice(0, cut);
      this.enter(dir);
      top = this.open.at(-1);
      if (!top || top.path !== dir) return;
    }
    if (sha) top.entries.push({ name: path.slice(cut + 1), mode, sha });
    else top.unknown = true;
  }

  /** A tarball's entry (not a folder) at `path`; a file's blob sha comes back: `listed`, or computed from its bytes. */
  entry(path: string, entry: TarEntry, listed: string | undefined): string | undefined {
    if (entry.type === 'file') {
      const sha = listed ?? (entry.data ? gitBlobSha(entry.data) : undefined);
      this.blob(path, gitMode(entry.mode, false), sha ?? null);
      return sha;
    }
    if (entry.link !== undefined) this.blob(path, gitMode(entry.mode, true), gitBlobSha(new TextEncoder().encode(entry.link)));
    else this.unknown(path);
    return listed;
  }

  /** An entry that is neither a blob nor a tree: its tree's sha cannot be known. */
  unknown(path: string): void {
    this.blob(path, '', null);
  }

  /** The trees' shas by path, once every blob's sha has come; the hasher is done. */
  async finish(): Promise<Record<string, string>> {
    while (this.open.length > 0) this.close();
    const trees: Record<string, string> = {};
    for (const [path, sha] of this.trees) {
      const known = await sha;
      if (known) trees[path] = known;
    }
    return trees;
  }

  /** Closes the trees `dir` is not in and opens those it is in. */
  private enter(dir: string): void {
    while (this.open.length > 0 && !within(dir, this.open.at(-1)!.path)) this.close();
    const from = this.open.at(-1)?.path;
    const parts = dir === '' ? [] : dir.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      if (from !== undefined && within(from, path)) continue; // the open tree and its ancestors
      if (!this.inside(path)) continue;
      const again = this.closed.has(path);
      this.open.push({ path, entries: [], unknown: again });
      if (again) this.trees.delete(path);
    }
  }

  private close(): void {
    const tree = this.open.pop()!;
    this.closed.add(tree.path);
    const parent = this.open.at(-1);
    // Git has no empty trees: an empty folder in a tarball is a submodule's, whose sha it does not give.
    if (tree.unknown || tree.entries.length === 0) {
      if (parent) parent.unknown = true;
      return;
    }
    const { entries } = tree;
    // A sha still coming makes the tree's come later; one that comes null makes it (and its parent's) unknown.
    const sha = entries.every((e) => typeof e.sha === 'string')
      ? gitTreeSha(entries as GitTreeEntry[])
      : Promise.all(entries.map((e) => e.sha)).then((shas) => (shas.includes(null) ? null : gitTreeSha(entries.map((e, i) => ({ ...e, sha: shas[i]! })))));
    this.trees.set(tree.path, sha);
    if (parent) parent.entries.push({ name: tree.path.slice(tree.path.lastIndexOf('/') + 1), mode: '40000', sha });
  }
}

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** Git's order of two names; a tree's name compares as if it ended in '/'. */
function compareNames(a: Uint8Array, aTree: boolean, b: Uint8Array, bTree: boolean): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  const next = (name: Uint8Array, tree: boolean) => (n < name.length ? name[n]! : tree ? 0x2f : 0);
  return next(a, aTree) - next(b, bTree) || a.length - b.length;
}

/** A hex digit's value (a sha's digits are 0-9 and a-f). */
function nibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

/** The bytes of a text known to be ASCII (TextEncoder is slow for short texts). */
export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
