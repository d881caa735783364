// @vitest-environment happy-dom
// The options page says how many removed posts a source keeps, purges them
// only after saying how many, and asks before a held removal goes.
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { RemovedPosts } from './RemovedPosts';
import { PostCard } from '../ui/PostCard';
import { preactRoot } from '../../test/support/preact-root';
import type { PostView, SourceView } from '../shared/messages';

const mounted = preactRoot();
const source: SourceView = {
  id: 'github:nodebe4/society', name: 'NodeBE4/society', kind: 'github', builtin: false, postCount: 15_271, failureCount: 0, importedAt: 1,
  lastSync: null, github: null, bundleUrl: null, hasToken: false, syncing: false, mirrorRemovals: false, removedCount: 0, removalHeld: null, storedBytes: null, published: null,
};
const buttonNamed = (root: Element, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === text) as HTMLButtonElement | undefined;

function mount(view: SourceView, handlers: Partial<{ onMirror: (m: boolean) => void; onPurge: () => Promise<number>; onKeepHeld: () => void }> = {}) {
  const props = { onMirror: vi.fn(), onPurge: vi.fn(async () => view.removedCount), onKeepHeld: vi.fn(), ...handlers };
  act(() => render(<RemovedPosts source={view} disabled={false} {...props} />, mounted.current));
  return { root: mounted.current, ...props };
}

describe('removed posts on the options page', () => {
  it('says nothing of them when there are none, and offers to mirror removals (off by default)', () => {
    const { root, onMirror } = mount(source);
    expect(root.textContent).not.toContain('kept here');
    const box = root.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    expect(box.checked).toBe(false);
    expect(root.textContent).toContain('Remove posts here when the source removes them');
    act(() => box.click());
    expect(onMirror).toHaveBeenCalledWith(true);
  });

  it('says how many are kept, links to them, and purges only after saying how many', async () => {
    const { root, onPurge } = mount({ ...source, removedCount: 200 });
    expect(root.textContent).toContain('200 posts removed from the source, kept here');
    expect(root.querySelector('a')!.getAttribute('href')).toBe('../library/index.html?q=is%3Aremoved');
    act(() => buttonNamed(root, 'Remove them from this browser…')!.click());
    expect(onPurge).not.toHaveBeenCalled();
    expect(root.querySelector('[role=alertdialog]')!.textContent).toContain('Remove 200 posts from this browser for good?');
    // Cancel keeps everything.
    act(() => buttonNamed(root, 'Cancel')!.click());
    expect(root.querySelector('[role=alertdialog]')).toBeNull();
    act(() => buttonNamed(root, 'Remove them from this browser…')!.click());
    await act(async () => buttonNamed(root, 'Remove 200 posts')!.click());
    expect(onPurge).toHaveBeenCalledTimes(1);
  });

  it('asks before a held removal goes, and can keep them', () => {
    const { root, onKeepHeld, onPurge } = mount({ ...source, mirrorRemovals: true, removedCount: 3_774, removalHeld: { count: 3_774, at: 1 } });
    const alert = root.querySelector('[role=alert]')!;
    expect(alert.textContent).toContain('The last sync found 3,774 posts gone from the source: more than a fifth of it.');
    act(() => buttonNamed(root, 'Keep them')!.click());
    expect(onKeepHeld).toHaveBeenCalled();
    act(() => buttonNamed(root, 'Remove them from this browser…')!.click());
    expect(root.querySelector('[role=alertdialog]')!.textContent).toContain('Remove 3,774 posts');
    expect(onPurge).not.toHaveBeenCalled();
  });
});

describe('a removed post wherever it shows', () => {
  it('is marked with the day its source removed it, and links to its file at the last commit', () => {
    const post: PostView = {
      key: 'k', title: '標題', date: '2024-05-01', channel: '頻道', author: '', tags: [], summary: '內容', videoId: 'GorsYGIeIK4', sourceUrl: '',
      postUrl: null, fileUrl: 'https://github.com/NodeBE4/society/blob/0123456789012345678901234567890123456789/archived/x.md', sourceName: 'society', builtin: false,
      removedAt: Date.UTC(2026, 10, 30, 12),
    };
    act(() => render(<PostCard post={post} open onToggle={() => {}} />, mounted.current));
    const root = mounted.current;
    expect(root.querySelector('.al-removed')!.textContent).toBe('Removed from the archive on Nov 30, 2026');
    const link = [...root.querySelectorAll('a')].find((a) => a.textContent === 'File at its last commit')!;
    expect(link.getAttribute('href')).toBe(post.fileUrl);
    act(() => render(<PostCard post={{ ...post, removedAt: undefined }} open onToggle={() => {}} />, mounted.current));
    expect(root.querySelector('.al-removed')).toBeNull();
  });
});
