// Funnels YouTube's navigation signals into one "the URL may have changed"
// callback. Callers de-duplicate by video id.
import { NAVIGATE_FINISH_EVENTS } from './selectors';

interface NavigationLike extends EventTarget {}

export function onNavigation(callback: (url: string) => void, signal: AbortSignal): void {
  const fire = () => callback(location.href);
  // 1. YouTube's own event, after the new page's data is in place.
  for (const type of NAVIGATE_FINISH_EVENTS) document.addEventListener(type, fire, { signal });
  // 2. The Navigation API, where the browser has it.
  const navigation = (globalThis as { navigation?: NavigationLike }).navigation;
  navigation?.addEventListener('navigatesuccess', fire, { signal });
  // 3. History traversal, for browsers without the Navigation API.
  window.addEventListener('popstate', fire, { signal });
  // 4. The page's <title> changes on every navigation, on www. and m. alike (one text node watched).
  const title = document.querySelector('head > title');
  if (title) {
    const observer = new MutationObserver(fire);
    observer.observe(title, { childList: true, characterData: true, subtree: true });
    signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  }
}

/**
 * Whether YouTube has finished showing the current URL: true on the page's
 * first load and after its navigate-finish event for this URL; false between
 * a URL change and that event, while the DOM still shows the previous page.
 */
export function pageSettled(signal: AbortSignal): () => boolean {
  let settledAt = location.href;
  const settle = () => (settledAt = location.href);
  for (const type of NAVIGATE_FINISH_EVENTS) document.addEventListener(type, settle, { signal, capture: true });
  return () => settledAt === location.href;
}
