// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { preactRoot } from '../../../test/support/preact-root';
import { describe, expect, it } from 'vitest';
import { seedText } from '../../../test/support/archives';
import { viewOf } from '../../../test/support/posts';
import { GoneView, webArchiveUrl, type GoneState } from './GoneView';

const mounted = preactRoot();

const VIDEO = '-VWLP6-06Jc';
const seed = viewOf(seedText(), 'archived/2025-02-02/2025-02-02-x.md');
const show = (state: GoneState) => act(() => render(<GoneView state={state} />, mounted.current));
const ready = (archived = [seed], mentioned: typeof archived = []): GoneState => ({ status: 'ready', videoId: VIDEO, result: { videoId: VIDEO, archived, mentioned } });

describe('the view of a gone video', () => {
  it('shows the whole archived description, tags, links and the Wayback Machine', () => {
    show(ready());
    expect(mounted.current.querySelector('.al-gone-title')!.textContent).toBe(seed.title);
    // Whole, not the panel's preview: the last words of a long summary are there, with no "Show more".
    expect(seed.summary.length).toBeGreaterThan(600);
    expect(mounted.current.querySelector('.al-gone-text')!.textContent).toContain(seed.summary.trim().slice(-40).trim());
    expect(mounted.current.textContent).not.toContain('Show more');
    expect([...mounted.current.querySelectorAll('.al-chip')].map((c) => c.textContent)).toEqual(seed.tags);
    const links = [...mounted.current.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toContain(seed.postUrl);
    expect(links).toContain(webArchiveUrl(VIDEO));
    expect(webArchiveUrl(VIDEO)).toBe('https://web.archive.org/web/*/https://www.youtube.com/watch?v=-VWLP6-06Jc');
  });

  it('lists the versions of a retitled video and shows the one chosen', () => {
    const older = { ...seed, key: 'older', title: 'The first title', date: '2025-01-01T00:00:00Z' };
    show(ready([seed, older]));
    const versions = [...mounted.current.querySelectorAll<HTMLButtonElement>('.al-version')];
    expect(versions.map((v) => v.querySelector('.al-version-title')!.textContent)).toEqual([seed.title, 'The first title']);
    expect(versions[0]!.getAttribute('aria-pressed')).toBe('true');
    act(() => versions[1]!.click());
    expect(mounted.current.querySelector('.al-gone-title')!.textContent).toBe('The first title');
    // What changed from one version to the next, oldest first.
    const timeline = [...mounted.current.querySelectorAll('.al-timeline li')].map((li) => li.textContent);
    expect(timeline).toHaveLength(2);
    expect(timeline[0]).toContain('first archived');
    expect(timeline[1]).toContain('The title was changed');
  });

  it('says quietly when the archive does not hold the video, and never renders archive text as HTML', () => {
    show(ready([]));
    expect(mounted.current.querySelector('.al-gone')!.classList.contains('al-quiet')).toBe(true);
    expect(mounted.current.textContent).toContain('this video is not in your archive');
    const hostile = { ...seed, title: '<img src=x onerror=alert(1)>', summary: '<script>alert(1)</script>' };
    show(ready([hostile]));
    expect(mounted.current.querySelector('img, script')).toBeNull();
    expect(mounted.current.querySelector('.al-gone-title')!.textContent).toBe(hostile.title);
  });
});
