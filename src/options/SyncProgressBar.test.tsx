// @vitest-environment happy-dom
// What the progress bar tells a screen reader while a sync runs.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { preactRoot } from '../../test/support/preact-root';
import type { SyncProgress } from '../sync/progress';
import { SyncProgressBar } from './SyncProgressBar';

const mounted = preactRoot();

describe('the sync progress bar', () => {
  it('announces each phase once, and keeps the count in the bar for a reader who asks', () => {
    const announced: string[] = [];
    const show = (progress: Pick<SyncProgress, 'phase' | 'done' | 'total'> & { etaMs?: number }) => {
      const whole: SyncProgress = { sourceId: 'github:nodebe4/society', bytes: 0, requests: 0, startedAt: 0, etaMs: null, message: '', ...progress };
      render(<SyncProgressBar progress={whole} name="NodeBE4/society" />, mounted.current);
      const live = mounted.current.querySelector('[aria-live]')!.textContent!;
      if (announced.at(-1) !== live) announced.push(live);
      return mounted.current;
    };
    show({ phase: 'checking', done: 0, total: 0 });
    show({ phase: 'downloading', done: 0, total: 15_271 });
    // Four times a second while posts are read: the words on screen follow, the announcement does not.
    for (const done of [500, 1_000, 1_500, 2_000, 15_271]) {
      const page = show({ phase: 'reading', done, total: 15_271, etaMs: 30_000 });
      expect(page.querySelector('.sync-words')!.textContent).toContain(`Reading posts: ${done.toLocaleString('en')} of 15,271`);
      expect(page.querySelector('[role=progressbar]')!.getAttribute('aria-valuetext')).toContain(`${done.toLocaleString('en')} of 15,271`);
    }
    show({ phase: 'saving', done: 15_271, total: 15_271 });
    expect(announced).toEqual(['Checking for changes…', 'Downloading…', 'Reading posts…', 'Saving…']);
    // The words on screen are not read a second time.
    expect(mounted.current.querySelector('.sync-words')!.getAttribute('aria-hidden')).toBe('true');
  });
});
