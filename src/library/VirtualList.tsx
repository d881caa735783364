// A list of any length with rows of one height: only the rows in view (and a
// few around them) are in the page, so 120,000 posts scroll like 20. Written
// here rather than taken from a library: with a fixed row height it is a
// scroll position divided by a number, and nothing else is needed.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

interface Props {
  total: number;
  rowHeight: number;
  /** Rows drawn beyond the view on each side. */
  overscan?: number;
  /** Called with the rows in view (and around it) whenever they change. */
  onRange?: (first: number, last: number) => void;
  row: (index: number) => ComponentChildren;
  label: string;
  /** A new list (another query): scroll back to its top. */
  resetKey: string;
}

export function VirtualList({ total, rowHeight, overscan = 8, onRange, row, label, resetKey }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });

  useLayoutEffect(() => {
    const el = box.current!;
    el.scrollTop = 0;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      resize.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, [resetKey]);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  useLayoutEffect(() => onRange?.(first, last), [first, last, resetKey]);

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <li key={i} class="vlist-row" style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }} aria-setsize={total} aria-posinset={i + 1}>
        {row(i)}
      </li>,
    );
  }
  return (
    <div ref={box} class="vlist" tabIndex={-1}>
      <ol class="vlist-inner" style={{ height: `${total * rowHeight}px` }} aria-label={label}>
        {rows}
      </ol>
    </div>
  );
}
