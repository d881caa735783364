// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { preactRoot } from '../../../test/support/preact-root';
import { describe, expect, it } from 'vitest';
import { resetFakeBrowser, setResponder } from '../../../test/support/fake-browser';
import { edgeCase, seedText } from '../../../test/support/archives';
import { viewOf } from '../../../test/support/posts';
import type { LookupResult } from '../../shared/messages';
import { Panel, type PanelState } from './Panel';

const mounted = preactRoot();

function show(state: PanelState, collapsed = false, onCollapsedChange = (_: boolean) => {}) {
  act(() => render(<Panel state={state} collapsed={collapsed} onCollapsedChange={onCollapsedChange} />, mounted.current));
}

const seed = viewOf(seedText(), 'archived/2025-02-02/2025-02-02-x.md', { builtin: true });
const ready = (result: Partial<LookupResult>): PanelState => ({
  status: 'ready',
  videoId: '-VWLP6-06Jc',
  result: { videoId: '-VWLP6-06Jc', archived: [], mentioned: [], ...result },
});
const click = (el: Element | null | undefined) => act(() => (el as HTMLElement).click());
const buttons = () => [...mounted.current.querySelectorAll('button')];
const byText = (text: string) => buttons().find((b) => b.textContent?.includes(text));

describe('the side panel', () => {
  it('shows the seed post open: title, date, channel, summary, tags and links', () => {
    show(ready({ archived: [seed] }));
    expect(mounted.current.querySelector('[role=status]')!.textContent).toBe('1 archived post');
    expect(mounted.current.querySelector('.al-post-title')!.textContent).toBe(seed.title);
    expect(mounted.current.querySelector('time')!.getAttribute('datetime')).toBe('2025-02-02T14:00:00.000Z');
    expect(mounted.current.textContent).toContain('Feb 2, 2025 · 老楊到處說');
    expect(mounted.current.querySelector('.al-summary')!.textContent).toMatch(/^訂閱楊錦麟頻道/);
    expect([...mounted.current.querySelectorAll('.al-chip')].map((c) => c.textContent)).toEqual(['老楊到處說']);
    const links = [...mounted.current.querySelectorAll('.al-links a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]);
    expect(links).toEqual([
      ['Archived post', seed.postUrl, 'noopener noreferrer'],
      ['File in the archive', seed.fileUrl, 'noopener noreferrer'],
      ['Original', 'https://www.youtube.com/watch?v=-VWLP6-06Jc', 'noopener noreferrer'],
    ]);
    expect(mounted.current.textContent).toContain('Built-in sample');
  });

  it('collapses a long summary behind "Show more"', () => {
    show(ready({ archived: [seed] }));
    const summary = () => mounted.current.querySelector('.al-summary')!.textContent!;
    expect(summary().length).toBeLessThan(seed.summary.length);
    click(byText('Show more'));
    expect(summary()).toContain('仍值得高度關注。');
    click(byText('Show less'));
    expect(summary()).not.toContain('仍值得高度關注。');
  });

  it('lists several posts of a video newest first, with only the newest open, and toggles by keyboard-focusable buttons', () => {
    const older = { ...seed, key: 'older', title: 'Older title', date: '2024-01-01T00:00:00.000Z' };
    show(ready({ archived: [seed, older] }));
    expect(mounted.current.querySelector('[role=status]')!.textContent).toBe('2 archived posts');
    expect(mounted.current.textContent).toContain('Archived 2 times');
    const toggles = [...mounted.current.querySelectorAll('.al-post-toggle')];
    expect(toggles.map((t) => t.getAttribute('aria-expanded'))).toEqual(['true', 'false']);
    click(toggles[1]);
    expect([...mounted.current.querySelectorAll('.al-post-toggle')].map((t) => t.getAttribute('aria-expanded'))).toEqual(['true', 'true']);
  });

  it('lists posts that only mention the video apart, under the archived ones', () => {
    const kol = edgeCase('#27 如何成為KOL');
    const mention = viewOf(kol.text, kol.path);
    show(ready({ archived: [seed], mentioned: [mention] }));
    const section = mounted.current.querySelector('.al-mentioned')!;
    expect(section.textContent).toContain('Posts that mention this video');
    expect(section.textContent).toContain(mention.title);
    expect(mounted.current.querySelector('.al-post-list')!.textContent).not.toContain(mention.title);
  });

  it('counts every post that mentions the video, and shows more of them a page at a time', async () => {
    const kol = edgeCase('#27 如何成為KOL');
    const mention = (i: number) => ({ ...viewOf(kol.text, kol.path), key: `m|0|${i}`, title: `mention ${i}` });
    const asked: number[] = [];
    setResponder((message) => {
      const { type, offset } = message as { type: string; offset: number };
      expect(type).toBe('mentions');
      asked.push(offset);
      return { ok: true, value: { posts: Array.from({ length: Math.min(20, 45 - offset) }, (_, i) => mention(offset + i)), total: 45 } };
    });
    try {
      show(ready({ mentioned: Array.from({ length: 20 }, (_, i) => mention(i)), mentionedTotal: 45 }));
      expect(mounted.current.querySelector('[role=status]')!.textContent).toBe('Mentioned in 45 archived posts');
      for (const left of [25, 5]) {
        const more = byText('more posts that mention it')!;
        expect(more.textContent).toBe(`Show ${left} more posts that mention it`);
        await act(async () => {
          more.click();
          await new Promise((r) => setTimeout(r, 0));
        });
      }
      expect(asked).toEqual([20, 40]);
      expect([...mounted.current.querySelectorAll('.al-mentioned .al-post-title')].map((t) => t.textContent)).toEqual(Array.from({ length: 45 }, (_, i) => `mention ${i}`));
      expect(byText('more posts that mention it')).toBeUndefined();
    } finally {
      resetFakeBrowser();
    }
  });

  it('is a quiet single line when the video is not archived', () => {
    show(ready({}));
    expect(mounted.current.querySelector('.al-panel')!.classList.contains('al-quiet')).toBe(true);
    expect(mounted.current.textContent).toBe('Not in the archive');
    expect(buttons()).toHaveLength(0);
  });

  it('collapses and expands, reporting the choice', () => {
    const changes: boolean[] = [];
    show(ready({ archived: [seed] }), false, (c) => changes.push(c));
    click(mounted.current.querySelector('.al-toggle'));
    expect(changes).toEqual([true]);
    show(ready({ archived: [seed] }), true);
    expect(mounted.current.querySelector('.al-post')).toBeNull();
    expect(mounted.current.querySelector('.al-toggle')!.getAttribute('aria-expanded')).toBe('false');
    expect(mounted.current.querySelector('.al-toggle')!.getAttribute('title')).toBe('Show the archived posts');
  });

  it('opens and closes from anywhere on its header: the mark, the label and the chevron are one native button', () => {
    const changes: boolean[] = [];
    show(ready({ archived: [seed] }), true, (c) => changes.push(c));
    const toggle = mounted.current.querySelector('.al-toggle')!;
    // A native <button>: focusable, and Enter and Space press it.
    expect(toggle.tagName).toBe('BUTTON');
    expect(toggle.textContent).toContain('1 archived post');
    for (const part of ['.al-logo', '.al-headline', '.al-chevron']) click(toggle.querySelector(part));
    expect(changes).toEqual([false, false, false]);
  });

  it('renders archive HTML as text, never as markup', () => {
    const hostile = {
      ...seed,
      title: '<img src=x onerror="window.pwned=1">標題',
      summary: '<script>window.pwned=2</script><b>bold</b>',
      tags: ['<i>tag</i>'],
      postUrl: 'javascript:window.pwned=3',
    };
    show(ready({ archived: [hostile] }));
    expect(mounted.current.querySelector('img, script, b, i')).toBeNull();
    expect(mounted.current.querySelector('.al-post-title')!.textContent).toBe(hostile.title);
    expect(mounted.current.querySelector('.al-summary')!.textContent).toContain('<script>');
    expect([...mounted.current.querySelectorAll('a')].some((a) => a.getAttribute('href')?.startsWith('javascript:'))).toBe(false);
  });

  it('says when the archive cannot be read', () => {
    show({ status: 'error', videoId: '-VWLP6-06Jc', message: 'boom' });
    expect(mounted.current.textContent).toContain('The archive could not be read: boom');
  });
});
