// A fresh element for each component test to render into, unmounted and
// removed after it. Call at the top of a test file; read `.current` in tests.
import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

export function preactRoot(): { current: HTMLElement } {
  const root = { current: null as unknown as HTMLElement };
  beforeEach(() => {
    root.current = document.createElement('div');
    document.body.append(root.current);
  });
  afterEach(() => {
    render(null, root.current);
    root.current.remove();
  });
  return root;
}
