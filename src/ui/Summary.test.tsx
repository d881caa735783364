// @vitest-environment happy-dom
// However long a post is, one click lays out at most a page of it; every
// character can still be reached, in order.
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Summary, PAGE_CHARS, PAGE_PARAGRAPHS, pageEnd } from './Summary';
import { preactRoot } from '../../test/support/preact-root';
import { resetFakeBrowser, setResponder } from '../../test/support/fake-browser';

const mounted = preactRoot();
const mount = (node: preact.JSX.Element) => {
  act(() => render(node, mounted.current));
  return mounted;
};

const moreButton = (root: Element) => [...root.querySelectorAll('button')].find((b) => b.textContent === 'Show more') as HTMLElement | undefined;

describe('Summary of a very long post', () => {
  it('shows a preview, then a page a click, until the whole text is there', () => {
    const text = `開頭${'字'.repeat(PAGE_CHARS * 2.5)}結尾`;
    const root = mount(<Summary text={text} />).current;
    expect(root.textContent!.length).toBeLessThan(400);
    let clicks = 0;
    for (let more = moreButton(root); more; more = moreButton(root)) {
      act(() => more.click());
      clicks++;
      expect(root.querySelector('.al-summary')!.textContent!.length).toBeLessThanOrEqual(PAGE_CHARS * clicks + 100);
    }
    expect(clicks).toBe(3);
    expect(root.textContent).toContain('結尾');
    expect([...root.querySelectorAll('.al-summary p')].map((p) => p.textContent).join('')).toBe(text);
  });

  it('lays out at most a page of paragraphs at once from a post of many short lines', () => {
    const text = Array.from({ length: 5_000 }, (_, i) => `line ${i}`).join('\n');
    mount(<Summary text={text} whole />);
    expect(mounted.current.querySelectorAll('.al-summary p').length).toBe(PAGE_PARAGRAPHS);
    expect(moreButton(mounted.current)).toBeDefined();
  });

  it('never cuts a page inside a surrogate pair', () => {
    const text = `${'a'.repeat(PAGE_CHARS - 1)}😀rest`;
    const end = pageEnd(text, 0);
    expect(end).toBe(PAGE_CHARS - 1);
    expect(text.slice(0, end) + text.slice(end)).toBe(text);
  });

  it('reads the rest of a description sent clipped from the archive as the reader goes on, every character in order', async () => {
    const whole = Array.from({ length: 12_000 }, (_, i) => `${i}、`).join('');
    const sent = whole.slice(0, 20_000);
    const asked: { from: number; to: number }[] = [];
    setResponder((message) => {
      const { key, from, to } = message as { key: string; from: number; to: number };
      asked.push({ from, to });
      expect(key).toBe('s|1|post');
      return { ok: true, value: { text: whole.slice(from, Math.min(to, from + 50_000)), total: whole.length } };
    });
    try {
      const root = mount(<Summary text={sent} whole rest={{ key: 's|1|post', total: whole.length }} />).current;
      for (let i = 0; i < 100 && moreButton(root); i++) {
        await act(async () => {
          moreButton(root)!.click();
          await new Promise((r) => setTimeout(r, 0));
        });
      }
      expect(moreButton(root)).toBeUndefined();
      expect([...root.querySelectorAll('.al-summary p')].map((p) => p.textContent).join('')).toBe(whole);
      // Only what was not sent, once.
      expect(asked).toEqual([{ from: sent.length, to: sent.length + 50_000 }]);
    } finally {
      resetFakeBrowser();
    }
  });
});
