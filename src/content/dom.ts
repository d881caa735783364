// Small DOM helpers that always take an AbortSignal, so nothing outlives the
// video it was created for.

/** Resolves with the first element matching `selector`, watching `root` until it appears. */
export function waitForElement(selector: string, signal: AbortSignal, root: Node = document.documentElement): Promise<Element> {
  return new Promise((resolve, reject) => {
    const found = document.querySelector(selector);
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const element = document.querySelector(selector);
      if (element) {
        observer.disconnect();
        resolve(element);
      }
    });
    // YouTube sets `video-id` on an existing ytd-watch-flexy, so attributes count too.
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['video-id'] });
    signal.addEventListener('abort', () => {
      observer.disconnect();
      reject(signal.reason);
    }, { once: true });
  });
}

export function observe(target: Node, options: MutationObserverInit, callback: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const observer = new MutationObserver(callback);
  observer.observe(target, options);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

export function isDisplayed(element: Element): boolean {
  return element.getClientRects().length > 0;
}

/**
 * Resolves with what `find` returns once it returns an element, watching
 * `root`'s subtree (and `also` the given attributes and document events); rejects when `signal` aborts or after `limitMs` (pages
 * that never show it must not keep an observer for the whole session).
 */
export function waitUntil(
  find: () => Element | null,
  root: Node,
  signal: AbortSignal,
  limitMs: number,
  also: { attributeFilter?: string[]; events?: readonly string[] } = {},
): Promise<Element> {
  return new Promise((resolve, reject) => {
    const found = find();
    if (found) return resolve(found);
    const done = new AbortController();
    const finish = (error: unknown, element?: Element) => {
      done.abort();
      if (element) resolve(element);
      else reject(error);
    };
    const check = () => {
      const element = find();
      if (element) finish(null, element);
    };
    const observer = new MutationObserver(check);
    observer.observe(root, { childList: true, subtree: true, ...(also.attributeFilter ? { attributes: true, attributeFilter: also.attributeFilter } : {}) });
    for (const type of also.events ?? []) document.addEventListener(type, check, { signal: done.signal });
    const timer = setTimeout(() => finish(new Error('gave up waiting for the page')), limitMs);
    done.signal.addEventListener('abort', () => {
      observer.disconnect();
      clearTimeout(timer);
    }, { once: true });
    signal.addEventListener('abort', () => finish(signal.reason), { once: true, signal: done.signal });
  });
}
