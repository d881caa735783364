// Samples the resident memory of the browser's extension from /proc, to
// report its peak during a sync. Chromium: its `--extension-process` renderer
// (the service worker and the sync run there). Firefox does not name its
// extension process on its command line, and keeps IndexedDB's own work in
// its parent process: all of its processes are counted together.
import { readdirSync, readFileSync } from 'node:fs';

export type BrowserName = 'chromium' | 'firefox';

function isExtensionProcess(browser: BrowserName, cmdline: string): boolean {
  if (browser === 'chromium') return cmdline.includes('chromium') && cmdline.includes('--extension-process');
  return /(^|\/)firefox(-esr)?(\0| |$)/.test(cmdline);
}

function extensionProcessRss(browser: BrowserName): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!isExtensionProcess(browser, readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

export function sampleExtensionMemory(browser: BrowserName, everyMs = 100): { baseline: number; stop: () => number } {
  const baseline = extensionProcessRss(browser);
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, extensionProcessRss(browser))), everyMs);
  return {
    baseline,
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** What the figures count, for the [measure] lines. */
export function memoryWhat(browser: BrowserName): string {
  return browser === 'chromium' ? 'extension process resident memory' : "resident memory of Firefox's processes together (the extension's, and the parent's, where IndexedDB works)";
}
