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
  /** Evaluates an expression (awaited) in the page and returns its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  setViewport(width: number, height: number): Promise<void>;
  /** Chooses files in an <input type=file>, as a person would in the file picker. */
  setInputFiles(selector: string, paths: string[]): Promise<void>;
  /** Evaluates in the extension's background, where the driver can reach it (Chromium only). */
  evaluateInBackground?<T>(expression: string): Promise<T>;
  screenshot(path: string, clip?: Clip): Promise<void>;
  /** Closes a tab the extension opened whose address starts with `prefix`, and returns that address (null: none open). */
  takeTab(prefix: string): Promise<string | null>;
  /** Main-thread time (ms) the extension's content script spent while `action` ran (Chromium only: sampled over CDP). */
  contentScriptMs?(action: () => Promise<void>): Promise<number>;
  close(): Promise<void>;
}

/**
 * Polls `expression` until it is truthy. The limit is a hang guard for a
 * broken build, not a speed requirement, so it is generous.
 */
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
