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
  /**
   * Paths that now hold content we already have under another path: moved
   * (`from` goes away), or copied (`from` is '' and `copyOf` names a path
   * that holds the content when moves are applied, after removals and
   * earlier moves). Copies come after the moves.
   */
  moves: { from: string; to: string; sha: string; copyOf?: string }[];
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
  // Where a copy can be taken from: a stored path that stays (changed or not,
  // its record is replaced only after the moves), or where a move put it.
  const heldAt = new Map<string, string>();
  for (const f of stored) if (remotePaths.has(f.path) && !heldAt.has(f.sha)) heldAt.set(f.sha, f.path);
  const plan: SyncPlan = { fetch: [], moves: [], remove: [], unchanged: 0 };
  const copies: SyncPlan['moves'] = [];
  for (const f of remote) {
    const had = storedByPath.get(f.path);
    if (had === f.sha) {
      plan.unchanged++;
      continue;
    }
    const from = had === undefined ? vacated.get(f.sha)?.shift() : undefined;
    if (from !== undefined) {
      plan.moves.push({ from, to: f.path, sha: f.sha });
      if (!heldAt.has(f.sha)) heldAt.set(f.sha, f.path);
      continue;
    }
    // A copy of content we hold: a vacated path with it would have been a move,
    // so the content stays at a kept path or at an earlier move's target.
    const copyOf = had === undefined ? heldAt.get(f.sha) : undefined;
    if (copyOf !== undefined) copies.push({ from: '', to: f.path, sha: f.sha, copyOf });
    else plan.fetch.push(f);
  }
  plan.moves.push(...copies);
  for (const paths of vacated.values()) plan.remove.push(...paths);
  return plan;
}
