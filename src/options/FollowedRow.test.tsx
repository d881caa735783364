// @vitest-environment happy-dom
// A followed index on the options page: what is cached of it, when it was
// checked, a failed check, and its actions (check now, keep a full copy, remove).
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { SourceRow } from './SourceRow';
import { preactRoot } from '../../test/support/preact-root';
import { userMessage } from '../core/user-messages';
import type { SourceView } from '../shared/messages';

const mounted = preactRoot();
const followed: SourceView = {
  id: 'published:https://nodebe4.github.io/society/archivelens/', name: 'NodeBE4/society', kind: 'published', builtin: false,
  postCount: 15_271, failureCount: 0, importedAt: 1, lastSync: null, github: null, bundleUrl: null, hasToken: false, syncing: false,
  mirrorRemovals: false, removedCount: 0, removalHeld: null, storedBytes: 3 * 1024 ** 2,
  published: { url: 'https://nodebe4.github.io/society/archivelens/', repository: 'NodeBE4/society', videos: 14_905, checkedAt: Date.UTC(2026, 11, 4, 5), cachedBytes: 3 * 1024 ** 2, error: null },
};
const buttonNamed = (root: Element, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.startsWith(text));

function mount(view: SourceView) {
  const handlers = { onSync: vi.fn(), onCancel: vi.fn(), onRemove: vi.fn(), onMirror: vi.fn(), onPurge: vi.fn(async () => 0), onKeepHeld: vi.fn(), onKeepCopy: vi.fn() };
  act(() => render(<SourceRow source={view} progress={undefined} busy={false} {...handlers} />, mounted.current));
  return { root: mounted.current, ...handlers };
}

describe('a followed index on the options page', () => {
  it('says it is followed, not downloaded, with what is kept for offline use, and offers its actions', () => {
    const { root, onSync, onKeepCopy } = mount(followed);
    expect(root.textContent).toContain('15,271 posts');
    expect(root.textContent).toContain('Followed, not downloaded: 14,905 videos · 3.1 MB kept for offline use · checked');
    // Nothing of a synced source's: no last sync, no sync button, no removals setting.
    expect(root.textContent).not.toContain('Never synced');
    expect(buttonNamed(root, 'Sync now')).toBeUndefined();
    expect(root.querySelector('input[type=checkbox]')).toBeNull();
    act(() => buttonNamed(root, 'Check now')!.click());
    expect(onSync).toHaveBeenCalled();
    const copy = buttonNamed(root, 'Keep a full copy')!;
    expect(copy.title).toBe('Syncs the whole archive from NodeBE4/society on GitHub; once the copy is complete, the index is no longer followed.');
    act(() => copy.click());
    expect(onKeepCopy).toHaveBeenCalled();
  });

  it('shows a failed check in the reader\'s words, and no full copy for an index that names no repository', () => {
    const { root } = mount({ ...followed, published: { ...followed.published!, repository: null, error: userMessage('offlineHost', 'nodebe4.github.io') } });
    expect(root.querySelector('[role=alert]')!.textContent).toBe('The last check failed: Could not reach nodebe4.github.io. Check the network connection.');
    expect(buttonNamed(root, 'Keep a full copy')).toBeUndefined();
  });
});
