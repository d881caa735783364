// Samples the resident memory of Chromium's extension process (where the
// service worker and the sync run) from /proc, to report its peak during a sync.
import { readdirSync, readFileSync } from 'node:fs';

function extensionProcessRss(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('chromium') || !cmdline.includes('--extension-process')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

export function sampleExtensionMemory(everyMs = 100): { baseline: number; stop: () => number } {
  const baseline = extensionProcessRss();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, extensionProcessRss())), everyMs);
  return {
    baseline,
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
