// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { preactRoot } from '../../test/support/preact-root';
import { describe, expect, it } from 'vitest';
import { VirtualList } from './VirtualList';

const mounted = preactRoot();

function show(total: number, ranges: [number, number][], resetKey = 'a') {
  act(() =>
    render(
      <VirtualList total={total} rowHeight={50} overscan={2} resetKey={resetKey} label="Posts" onRange={(a, b) => ranges.push([a, b])} row={(i) => <span>post {i}</span>} />,
      mounted.current,
    ),
  );
}

describe('the library list', () => {
  it('puts only the rows in view in the page, at their places, for a list of 120,000', () => {
    const ranges: [number, number][] = [];
    show(120_000, ranges);
    const list = mounted.current.querySelector<HTMLElement>('.vlist')!;
    expect(mounted.current.querySelector<HTMLElement>('.vlist-inner')!.style.height).toBe(`${120_000 * 50}px`);
    const rows = mounted.current.querySelectorAll('.vlist-row');
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]!.textContent).toBe('post 0');
    expect(rows[0]!.getAttribute('aria-setsize')).toBe('120000');

    // Scrolled far down: the rows there, and the range asked for to load them.
    act(() => {
      Object.defineProperty(list, 'scrollTop', { value: 50 * 100_000, configurable: true });
      list.dispatchEvent(new Event('scroll'));
    });
    const after = [...mounted.current.querySelectorAll<HTMLElement>('.vlist-row')];
    expect(after.length).toBeLessThan(60);
    expect(after.some((r) => r.textContent === 'post 100000')).toBe(true);
    expect(after.find((r) => r.textContent === 'post 100000')!.style.top).toBe(`${50 * 100_000}px`);
    expect(ranges.at(-1)![0]).toBe(100_000 - 2);
  });
});
