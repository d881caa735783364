// Samples the resident memory of the browser's extension process from /proc,
// to report its peak during a sync: Chromium's `--extension-process`
// renderer (the service worker and the sync run there), or Firefox's content
// process of type `extension` (the background page and the extension's pages;
// Firefox keeps IndexedDB's own work in its parent process).
import { readdirSync, readFileSync } from 'node:fs';

export type BrowserName = 'chromium' | 'firefox';

// Chromium rewrites a child's command line as one string joined by spaces; Firefox keeps NULs.
function isExtensionProcess(browser: BrowserName, cmdline: string): boolean {
  if (browser === 'chromium') return cmdline.includes('chromium') && cmdline.includes('--extension-process');
  return cmdline.includes('firefox') && cmdline.includes('-contentproc') && cmdline.split(/[\0 ]/).filter(Boolean).at(-1) === 'extension';
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
