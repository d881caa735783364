import { describe, expect, it } from 'vitest';
import { planSync } from './sync-plan';

describe('planning an incremental sync', () => {
  const stored = [
    { path: '_posts/a.md', sha: 'aaa' },
    { path: '_posts/b.md', sha: 'bbb' },
    { path: 'archived/c.md', sha: 'ccc' },
    { path: 'archived/d.md', sha: 'ddd' },
  ];

  it('treats a file moved from _posts/ to archived/ with the same content as a move, not a new post', () => {
    const plan = planSync(stored, [
      { path: 'archived/2026-01-01/a.md', sha: 'aaa' }, // moved
      { path: '_posts/b.md', sha: 'bb2' }, // changed
      { path: 'archived/c.md', sha: 'ccc' }, // unchanged
      { path: '_posts/e.md', sha: 'eee' }, // new
      { path: '_posts/twin.md', sha: 'ccc' }, // a twin of content we hold
    ]);
    expect(plan.moves).toEqual([
      { from: '_posts/a.md', to: 'archived/2026-01-01/a.md', sha: 'aaa' },
      { from: '', to: '_posts/twin.md', sha: 'ccc', copyOf: 'archived/c.md' },
    ]);
    expect(plan.fetch).toEqual([{ path: '_posts/b.md', sha: 'bb2' }, { path: '_posts/e.md', sha: 'eee' }]);
    expect(plan.remove).toEqual(['archived/d.md']);
    expect(plan.unchanged).toBe(1);
  });

  it('copies content from where it is once the moves are made', () => {
    const plan = planSync(stored, [
      { path: '_posts/copy-of-a.md', sha: 'aaa' }, // a's content, seen before a's move
      { path: 'archived/a.md', sha: 'aaa' }, // a moved
      { path: '_posts/b.md', sha: 'bb2' }, // b changed...
      { path: '_posts/old-b.md', sha: 'bbb' }, // ...and its old content copied
    ]);
    expect(plan.moves).toEqual([
      { from: '_posts/a.md', to: '_posts/copy-of-a.md', sha: 'aaa' },
      { from: '', to: 'archived/a.md', sha: 'aaa', copyOf: '_posts/copy-of-a.md' },
      { from: '', to: '_posts/old-b.md', sha: 'bbb', copyOf: '_posts/b.md' },
    ]);
    expect(plan.fetch).toEqual([{ path: '_posts/b.md', sha: 'bb2' }]);
    expect(plan.remove).toEqual(['archived/c.md', 'archived/d.md']);
  });

  it('has nothing to do when nothing changed', () => {
    expect(planSync(stored, stored)).toEqual({ fetch: [], moves: [], remove: [], unchanged: 4 });
  });
});
