// Samples the resident memory of the browser's extension process from /proc,
// to report its peak during a sync. Chromium: its `--extension-process`
// renderer (the service worker, the sync engine's worker and the extension's
// pages run there). Firefox: the process it names `WebExtensions` (its
// background page and the worker); Firefox keeps IndexedDB's own work in its
// parent process, so all of its processes together are reported beside it.
import { readdirSync, readFileSync } from 'node:fs';

export type BrowserName = 'chromium' | 'firefox';

interface Process {
  cmdline: string;
  comm: string;
  rss: number;
  /** Of it, pages mapped from files (the browser's own code, above all): the same whatever the extension does. */
  file: number;
}

function processes(): Process[] {
  const out: Process[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+) kB/.exec(status);
      if (!rss) continue;
      const file = Number(/RssFile:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      out.push({ cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8'), comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), rss: Number(rss[1]) * 1024, file });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

const isFirefox = (cmdline: string) => /(^|\/)firefox(-esr)?(\0| |$)/.test(cmdline);

function rss(browser: BrowserName): { extension: number; file: number; all: number } {
  let extension = 0;
  let file = 0;
  let all = 0;
  for (const p of processes()) {
    const isExtension = browser === 'chromium' ? p.cmdline.includes('chromium') && p.cmdline.includes('--extension-process') : isFirefox(p.cmdline) && p.comm === 'WebExtensions';
    if (browser === 'firefox' && isFirefox(p.cmdline)) all += p.rss;
    if (!isExtension) continue;
    extension += p.rss;
    file += p.file;
  }
  return { extension, file, all };
}

export interface MemorySample {
  baseline: number;
  peak: number;
  /** The extension process's pages mapped from files at its peak (its code: Chromium's binary alone is about 125 MiB here). */
  fileAtPeak: number;
  /** Firefox: all of its processes together, the parent's IndexedDB work included. */
  all?: { baseline: number; peak: number };
}

export function sampleExtensionMemory(browser: BrowserName, everyMs = 100): { baseline: number; stop: () => MemorySample } {
  const start = rss(browser);
  let peak = start;
  const timer = setInterval(() => {
    const now = rss(browser);
    peak = { ...(now.extension > peak.extension ? { extension: now.extension, file: now.file } : peak), all: Math.max(peak.all, now.all) };
  }, everyMs);
  return {
    baseline: start.extension,
    stop() {
      clearInterval(timer);
      return { baseline: start.extension, peak: peak.extension, fileAtPeak: peak.file, ...(browser === 'firefox' ? { all: { baseline: start.all, peak: peak.all } } : {}) };
    },
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024).toLocaleString('en-US')} MiB`;

/** The [measure] lines' words for a sample: the extension process, and in Firefox all of its processes too. */
export function describeMemory(browser: BrowserName, sample: MemorySample): string {
  // What the peak holds beyond the pages mapped from the browser's files (its code), which no extension changes.
  const split = sample.fileAtPeak ? ` (${mib(sample.peak - sample.fileAtPeak)} of it anonymous, ${mib(sample.fileAtPeak)} mapped from files)` : '';
  const extension = `${browser === 'chromium' ? 'extension process' : 'extension process (WebExtensions)'} resident memory ${mib(sample.baseline)} before, peak ${mib(sample.peak)}${split}`;
  return sample.all ? `${extension}; all of Firefox's processes (the parent's IndexedDB work included) ${mib(sample.all.baseline)} before, peak ${mib(sample.all.peak)}` : extension;
}
