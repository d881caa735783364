// What the end-to-end scenarios need from a browser, implemented for
// Chromium (Playwright over CDP) and Firefox (WebDriver BiDi).
export interface Clip {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Driver {
  readonly name: 'chromium' | 'firefox';
  /** The extension's own URL for a path inside dist/<browser>. */
  extensionUrl(path: string): string;
  goto(url: string): Promise<void>;
  /**
   * Evaluates an expression (awaited) in the page and returns its JSON value.
   * ArchiveLens's shadow roots are closed; for the test to read them, the
   * driver first sets each of its elements' `shadowRoot` to its root through
   * the browser's debugging protocol (which sees closed roots), when the
   * expression reads `shadowRoot`, unless `asPage`: then it sees what the page sees.
   */
  evaluate<T>(expression: string, options?: { asPage?: boolean }): Promise<T>;
  /** Clicks, as a person would (a trusted event), the middle of the element `expression` gives. */
  click(expression: string): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  /** Chooses files in an <input type=file>, as a person would in the file picker. */
  setInputFiles(selector: string, paths: string[]): Promise<void>;
  /** Evaluates in the extension's background, where the driver can reach it (Chromium only). */
  evaluateInBackground?<T>(expression: string): Promise<T>;
  /** Stops the extension's service worker, as the browser does when it is idle or short of memory (Chromium only). */
  stopBackground?(): Promise<void>;
  screenshot(path: string, clip?: Clip): Promise<void>;
  /** Closes a tab the extension opened whose address starts with `prefix`, and returns that address (null: none open). */
  takeTab(prefix: string): Promise<string | null>;
  /** Main-thread time (ms) the extension's content script spent while `action` ran (Chromium only: sampled over CDP). */
  contentScriptMs?(action: () => Promise<void>): Promise<number>;
  /**
   * The longest stretch the page's main thread spent in ArchiveLens's own code
   * while `action` ran (CDP's sampling profiler, 1 ms samples): its longest
   * task, told apart from YouTube's own work on the same thread (Chromium only).
   */
  contentScriptLongestMs?(action: () => Promise<void>): Promise<number>;
  close(): Promise<void>;
}

/**
 * Polls `expression` until it is truthy. The limit is a hang guard for a
 * broken build, not a speed requirement, so it is generous.
 */
/**
 * The install's secret that ArchiveLens names its elements on YouTube's page
 * after (content/page-names.ts: random per install in the product). The
 * end-to-end run gives the install a known one, as a seeded random would,
 * so its selectors read `archivelens-panel`.
 */
export const TEST_PAGE_SECRET = 'archivelens';

/** Our elements whose closed root the test has not been given yet (see Driver.evaluate). */
export const UNEXPOSED_HOSTS = `[...document.querySelectorAll('*')].filter((e) => e.localName.startsWith('${TEST_PAGE_SECRET}-') && !Object.hasOwn(e, 'shadowRoot'))`;
/** Gives an element (this) its closed root (the argument) as `shadowRoot`, for the test's expressions. */
export const EXPOSE_ROOT = 'function (root) { Object.defineProperty(this, "shadowRoot", { value: root, configurable: true }); }';
/** Whether an expression reads shadow roots (the driver then exposes ours first). */
export const readsShadowRoots = (expression: string, options?: { asPage?: boolean }) => !options?.asPage && expression.includes('shadowRoot');

/** Gives the freshly launched browser's install the known secret, before any YouTube page loads. */
export async function useTestPageNames(driver: Driver): Promise<Driver> {
  await driver.goto(driver.extensionUrl('src/options/index.html'));
  await driver.evaluate(`chrome.storage.local.set({ pageSecret: '${TEST_PAGE_SECRET}' }).then(() => true)`);
  await driver.goto('about:blank');
  return driver;
}

/** Fills the options page's GitHub form with a repository and presses "Add and sync", as a reader would. */
export async function addGithubSource(driver: Driver, repository: string): Promise<void> {
  await driver.evaluate(`(async () => {
    const input = document.querySelector('#repository');
    input.value = ${JSON.stringify(repository)};
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 50)); // let the form render, as between keystrokes
    document.querySelector('#add-github button[type=submit]').click();
  })()`);
}

/** Where to click the element `expression` gives: the middle of it, scrolled into view (viewport coordinates). */
export function centreOf(expression: string): string {
  return `(() => {
    const element = ${expression};
    if (!element) return null;
    element.scrollIntoView({ block: 'center', inline: 'center' });
    const r = element.getBoundingClientRect();
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
  })()`;
}

export async function waitFor<T>(driver: Driver, expression: string, what: string, limitMs = 30_000): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      last = await driver.evaluate<T>(expression);
      if (last) return last as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > limitMs) throw new Error(`${driver.name}: gave up waiting for ${what} (last value: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
