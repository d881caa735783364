// What an incremental sync must do, from the files we hold and the files the
// source's tree lists now. Files are compared by git blob sha, so a post moved
// from `_posts/` to `archived/` unchanged is a move, not a new post.

export interface KnownFile {
  path: string;
  sha: string;
  /** Bytes, as the tree lists them (absent for stored files). */
  size?: number;
}

export interface SyncPlan {
  /** Paths whose content we do not have: fetch and parse them. */
  fetch: KnownFile[];
  /** Paths that now hold content we already have under another path. */
  moves: { from: string; to: string; sha: string }[];
  /** Paths that no longer exist (and were not moved). */
  remove: string[];
  unchanged: number;
}

export function planSync(stored: readonly KnownFile[], remote: readonly KnownFile[]): SyncPlan {
  const storedByPath = new Map(stored.map((f) => [f.path, f.sha]));
  const remotePaths = new Set(remote.map((f) => f.path));
  // Content that disappears from one path can reappear at another.
  const vacated = new Map<string, string[]>();
  for (const f of stored) {
    if (remotePaths.has(f.path)) continue;
    const paths = vacated.get(f.sha);
    if (paths) paths.push(f.path);
    else vacated.set(f.sha, [f.path]);
  }
  const knownShas = new Set(stored.map((f) => f.sha));
  const plan: SyncPlan = { fetch: [], moves: [], remove: [], unchanged: 0 };
  for (const f of remote) {
    const had = storedByPath.get(f.path);
    if (had === f.sha) {
      plan.unchanged++;
      continue;
    }
    const from = had === undefined ? vacated.get(f.sha)?.shift() : undefined;
    if (from !== undefined) plan.moves.push({ from, to: f.path, sha: f.sha });
    else if (had === undefined && knownShas.has(f.sha)) plan.moves.push({ from: '', to: f.path, sha: f.sha }); // a copy of content we hold
    else plan.fetch.push(f);
  }
  for (const paths of vacated.values()) plan.remove.push(...paths);
  return plan;
}
