// Listing an archive that GitHub will not list in one answer. A recursive
// listing stops at 100,000 entries (about 7 MB) with `truncated: true`;
// GitHub's advice is to list sub-trees instead (notes/github.md). Listing
// every sub-tree of a large archive costs one request a folder (hundreds of
// day folders in `archived/`), against 60 requests an hour without a token.
// So the walk lists only the trees whose sha changed since the last sync:
// equal shas mean equal content, and the stored files under such a tree are
// still the commit's. A daily archive job touches `_posts/`, `archived/` and
// a few day folders: four or five requests.
import { githubUrls, type RepoRef } from '../core/github';
import { isPostFile } from '../core/archive-files';
import type { KnownFile } from '../core/sync-plan';
import type { Http } from './http';
import { readListing, type Listing } from './tree-listing';

/** Requests a walk may make before a full sync (one tarball, no API requests) is the cheaper way. */
export const WALK_REQUESTS = 30;

export interface Walked {
  /** Every post file of the commit in the folders, with its blob sha. */
  files: KnownFile[];
  /** The shas of the trees in the folders, for the next walk. */
  trees: Record<string, string>;
  configSha?: string;
  /** Requests the walk made. */
  requests: number;
}

export interface WalkContext {
  http: Http;
  repo: RepoRef;
  headers: Record<string, string>;
  context: { repo: string; hasToken: boolean };
}

/**
 * The commit's post files, listing only what changed since `known` (the
 * trees' shas at the last sync, whose files are `stored`). Null when the walk
 * would cost more than WALK_REQUESTS or a single tree is itself too large to
 * list: a full sync reads the tarball instead.
 */
export async function walkTrees(ctx: WalkContext, commitSha: string, folders: readonly string[], known: Readonly<Record<string, string>>, stored: readonly KnownFile[]): Promise<Walked | null> {
  const roots = folders.map((f) => f.replace(/\/+$/, '')).filter(Boolean);
  const inFolders = (dir: string) => roots.some((f) => dir === f || dir.startsWith(`${f}/`));
  const onTheWay = (dir: string) => inFolders(dir) || roots.some((f) => f.startsWith(`${dir}/`));
  const keep = (path: string) => isPostFile(path, folders);
  const files: KnownFile[] = [];
  const trees: Record<string, string> = {};
  const unchanged = new Set<string>();
  let requests = 0;

  class TooCostly extends Error {}
  const list = async (sha: string, prefix: string, recursive: boolean): Promise<Listing> => {
    if (++requests > WALK_REQUESTS) throw new TooCostly();
    return ctx.http.retrying(async () =>
      readListing(ctx.http, await ctx.http.get(githubUrls.tree(ctx.repo, sha, recursive), ctx.headers, ctx.context), keep, { prefix, trees: onTheWay }),
    );
  };
  const take = (listing: Listing) => {
    for (const file of listing.files) files.push(file);
    for (const [path, sha] of Object.entries(listing.trees)) if (inFolders(path)) trees[path] = sha;
  };

  const visit = async (dir: string, sha: string, seenBefore: boolean): Promise<void> => {
    trees[dir] = sha;
    if (known[dir] === sha) {
      unchanged.add(dir);
      return;
    }
    // A folder walked before is large (it is why the walk exists): its recursive listing would be cut short again.
    if (!seenBefore) {
      const whole = await list(sha, dir, true);
      if (!whole.truncated) return take(whole);
    }
    const own = await list(sha, dir, false);
    if (own.truncated) throw new TooCostly();
    take(own);
    for (const [path, childSha] of Object.entries(own.trees)) {
      if (path.lastIndexOf('/') === dir.length) await visit(path, childSha, false);
    }
  };

  try {
    // The root and the folders' ancestors, one level at a time (a folder may be `docs/_posts`).
    const root = await list(commitSha, '', false);
    if (root.truncated) return null;
    let level = root.trees;
    const configSha = root.configSha;
    for (let depth = 1; Object.keys(level).length > 0; depth++) {
      const next: Record<string, string> = {};
      for (const [path, sha] of Object.entries(level)) {
        if (inFolders(path) && !roots.some((f) => path.startsWith(`${f}/`))) await visit(path, sha, path in known);
        else if (!inFolders(path)) {
          const own = await list(sha, path, false);
          if (own.truncated) return null;
          for (const [child, childSha] of Object.entries(own.trees)) if (child.split('/').length === depth + 1) next[child] = childSha;
          for (const file of own.files) files.push(file);
        }
      }
      level = next;
    }
    // What did not change is what is stored.
    for (const file of stored) if (underAny(file.path, unchanged) && keep(file.path)) files.push(file);
    for (const [path, sha] of Object.entries(known)) if (underAny(path, unchanged) && !(path in trees)) trees[path] = sha;
    return { files, trees, ...(configSha ? { configSha } : {}), requests };
  } catch (error) {
    if (error instanceof TooCostly) return null;
    throw error;
  }
}

/** Whether `path` is inside one of `dirs` (or is one). */
function underAny(path: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.size === 0) return false;
  for (let cut = path.indexOf('/'); cut >= 0; cut = path.indexOf('/', cut + 1)) {
    if (dirs.has(path.slice(0, cut))) return true;
  }
  return dirs.has(path);
}
