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
