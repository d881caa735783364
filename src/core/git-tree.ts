// Git's tree objects, for archives too large for one listing. GitHub lists a
// tree recursively up to 100,000 entries (about 7 MB) and then says
// `truncated`; past that, a sync walks the folders' sub-trees and lists only
// those whose tree sha changed since the last sync. A full sync learns the
// trees' shas without a request: the tarball holds every file of the commit,
// and a tree's sha is the sha-1 of its entries' names, modes and shas.
// A sha computed wrongly (a tarball that differs from the tree, as
// `export-ignore` would make it) only costs a listing: a changed sha is
// listed, and two equal shas mean equal content.

const utf8 = new TextEncoder();

export interface GitTreeEntry {
  name: string;
  /** Git's mode: '100644', '100755', '120000' (a link) or '40000' (a tree). */
  mode: string;
  sha: string;
}

/** What `git mktree` gives these entries. */
export async function gitTreeSha(entries: readonly GitTreeEntry[]): Promise<string> {
  // Git orders entries by the bytes of their names, a tree's name as if it ended in '/'.
  const keyed = entries.map((e) => ({ e, name: utf8.encode(e.name), key: utf8.encode(e.mode === '40000' ? `${e.name}/` : e.name) }));
  keyed.sort((a, b) => compareBytes(a.key, b.key));
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const { e, name } of keyed) {
    const head = utf8.encode(`${e.mode} `);
    const sha = hexBytes(e.sha);
    parts.push(head, name, Uint8Array.of(0), sha);
    length += head.length + name.length + 1 + sha.length;
  }
  const header = utf8.encode(`tree ${length}\0`);
  const data = new Uint8Array(header.length + length);
  data.set(header);
  let at = header.length;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-1', data)));
}

/** The mode git gives a tarball's entry: an executable keeps its bit, a link is 120000. */
export function gitMode(tarMode: number, link: boolean): string {
  return link ? '120000' : tarMode & 0o100 ? '100755' : '100644';
}

interface OpenTree {
  path: string;
  entries: GitTreeEntry[];
  /** An entry's sha is not known (a file too large to read, an unknown kind): so is the tree's. */
  unknown: boolean;
}

/**
 * The shas of the trees inside `inside`, from a tarball's entries in its
 * order. `git archive` writes each tree's entries together, so a tree is
 * done when an entry outside it comes; only the open trees are held.
 */
export class TreeHasher {
  private readonly open: OpenTree[] = [];
  private readonly trees = new Map<string, string>();
  /** Trees seen closed or unknown: one that opens again was not written together, and is unknown. */
  private readonly closed = new Set<string>();

  constructor(private readonly inside: (dir: string) => boolean) {}

  /** A blob (sha null when it could not be read) of `path`, relative to the commit's root. */
  async blob(path: string, mode: string, sha: string | null): Promise<void> {
    const cut = path.lastIndexOf('/');
    const dir = cut < 0 ? '' : path.slice(0, cut);
    await this.enter(dir);
    const top = this.open.at(-1);
    if (!top || top.path !== dir) return;
    if (sha) top.entries.push({ name: path.slice(cut + 1), mode, sha });
    else top.unknown = true;
  }

  /** An entry that is neither a blob nor a tree: its tree's sha cannot be known. */
  async unknown(path: string): Promise<void> {
    await this.blob(path, '', null);
  }

  /** The trees' shas by path; the hasher is done. */
  async finish(): Promise<Record<string, string>> {
    while (this.open.length > 0) await this.close();
    return Object.fromEntries(this.trees);
  }

  /** Closes the trees `dir` is not in and opens those it is in. */
  private async enter(dir: string): Promise<void> {
    while (this.open.length > 0 && !within(dir, this.open.at(-1)!.path)) await this.close();
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

  private async close(): Promise<void> {
    const tree = this.open.pop()!;
    this.closed.add(tree.path);
    const parent = this.open.at(-1);
    // Git has no empty trees: an empty folder in a tarball is a submodule's, whose sha it does not give.
    if (tree.unknown || tree.entries.length === 0) {
      if (parent) parent.unknown = true;
      return;
    }
    const sha = await gitTreeSha(tree.entries);
    this.trees.set(tree.path, sha);
    if (parent) parent.entries.push({ name: tree.path.slice(tree.path.lastIndexOf('/') + 1), mode: '40000', sha });
  }
}

/** Whether `path` is `dir` or inside it. */
function within(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function hexBytes(sha: string): Uint8Array {
  const out = new Uint8Array(sha.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(sha.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
