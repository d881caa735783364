// Samples the resident memory of the browser's extension process from /proc,
// to report its peak during a sync. Chromium: its `--extension-process`
// renderer (the service worker, the sync engine's worker and the extension's
// pages run there). Firefox: the process it names `WebExtensions` (its
// background page and the worker); Firefox keeps IndexedDB's own work in its
// parent process, so all of its processes together are reported beside it.
import { readdirSync, readFileSync } from 'node:fs';

export type BrowserName = 'chromium' | 'firefox';

function processes(): { cmdline: string; comm: string; rss: number }[] {
  const out: { cmdline: string; comm: string; rss: number }[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!rss) continue;
      out.push({ cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8'), comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), rss: Number(rss[1]) * 1024 });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const isFirefox = (cmdline: string) => /(^|\/)firefox(-esr)?(\0| |$)/.test(cmdline);

function rss(browser: BrowserName): { extension: number; all: number } {
  let extension = 0;
  let all = 0;
  for (const p of processes()) {
    if (browser === 'chromium') {
      if (p.cmdline.includes('chromium') && p.cmdline.includes('--extension-process')) extension += p.rss;
    } else if (isFirefox(p.cmdline)) {
      all += p.rss;
      if (p.comm === 'WebExtensions') extension += p.rss;
    }
  }
  return { extension, all };
}

export interface MemorySample {
  baseline: number;
  peak: number;
  /** Firefox: all of its processes together, the parent's IndexedDB work included. */
  all?: { baseline: number; peak: number };
}

export function sampleExtensionMemory(browser: BrowserName, everyMs = 100): { baseline: number; stop: () => MemorySample } {
  const start = rss(browser);
  let peak = start;
  const timer = setInterval(() => {
    const now = rss(browser);
    peak = { extension: Math.max(peak.extension, now.extension), all: Math.max(peak.all, now.all) };
  }, everyMs);
  return {
    baseline: start.extension,
    stop() {
      clearInterval(timer);
      return { baseline: start.extension, peak: peak.extension, ...(browser === 'firefox' ? { all: { baseline: start.all, peak: peak.all } } : {}) };
    },
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;

/** The [measure] lines' words for a sample: the extension process, and in Firefox all of its processes too. */
export function describeMemory(browser: BrowserName, sample: MemorySample): string {
  const extension = `${browser === 'chromium' ? 'extension process' : 'extension process (WebExtensions)'} resident memory ${mib(sample.baseline)} before, peak ${mib(sample.peak)}`;
  return sample.all ? `${extension}; all of Firefox's processes (the parent's IndexedDB work included) ${mib(sample.all.baseline)} before, peak ${mib(sample.all.peak)}` : extension;
}
