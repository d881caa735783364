// How fast search answers, measured the same way at every scale: through the
// message protocol from an extension page (the background's time), and in
// the popup from a keystroke to its results on screen.
import type { Driver } from './driver';

// What readers type: common and rare words, both scripts, a phrase, filters, one character, a month.
export const SEARCHES = ['罗宾', '羅賓', '疫苗 儿子', '中國 經濟', '美國 選舉', '"中共"', 'covid', 'channel:罗宾 2024-05', 'tag:罗宾', '的', '2024-05'];
export const TYPED = ['羅賓 疫苗', '中國 經濟', 'covid'];

/**
 * A page-side `ask` as src/shared/client.ts sends it: a request that found
 * no background (Firefox's event page restarting after a long sync) is sent
 * again, at most three times; the retries are counted in `globalThis.retried`.
 */
export const PAGE_ASK = `const ask = async (m) => {
  for (const wait of [50, 250, 700, null]) {
    try { return await chrome.runtime.sendMessage(m); } catch (error) {
      if (wait === null || !/Receiving end does not exist|Could not establish connection/i.test(error.message)) throw error;
      globalThis.retried = (globalThis.retried ?? 0) + 1;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
};`;

export const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

/**
 * Each query twice (as first typed, then again with its index rows in
 * memory), from an extension page, after asking for the archive's stats as
 * the popup does when it opens (the answer counts the archive as it is now).
 */
export async function timeSearches(driver: Driver, extraVideos: string[] = []): Promise<{ searches: number[]; totals: number[]; videos: string[] }> {
  return driver.evaluate(`(async () => {
    ${PAGE_ASK}
    await ask({ type: 'stats' });
    const searches = [], totals = [];
    const videos = new Set(${JSON.stringify(extraVideos)});
    for (const query of ${JSON.stringify(SEARCHES)}) {
      for (const round of [0, 1]) {
        const t = performance.now();
        const r = await ask({ type: 'search', query, limit: 30 });
        searches.push(performance.now() - t);
        if (round === 0) totals.push(r.value.total);
        for (const post of r.value.posts) if (post.videoId) videos.add(post.videoId);
      }
    }
    return { searches, totals, videos: [...videos] };
  })()`);
}

/**
 * What a reader meets who opens the popup as a sync ends: its stats, then
 * each query once, while the background still has the sync's work to finish
 * (at ×32, dropping the rows of the index's segments, merged as the sync
 * committed: it runs between requests).
 */
export async function timeFirstRequests(driver: Driver): Promise<{ stats: number; searches: number[] }> {
  return driver.evaluate(`(async () => {
    ${PAGE_ASK}
    let t = performance.now();
    await ask({ type: 'stats' });
    const stats = performance.now() - t;
    const searches = [];
    for (const query of ${JSON.stringify(SEARCHES)}) {
      t = performance.now();
      await ask({ type: 'search', query, limit: 30 });
      searches.push(performance.now() - t);
    }
    return { stats, searches };
  })()`);
}

export function describeFirstRequests({ stats, searches }: { stats: number; searches: number[] }): string {
  return `stats ${stats.toFixed(0)} ms; searches p50 ${percentile(searches, 0.5).toFixed(1)} ms, p95 ${percentile(searches, 0.95).toFixed(1)} ms, slowest ${Math.max(...searches).toFixed(0)} ms (${SEARCHES.map((q, i) => `${q} ${searches[i]!.toFixed(0)}`).join(', ')})`;
}

export function describeSearches(searches: number[]): string {
  return `p50 ${percentile(searches, 0.5).toFixed(1)} ms, p95 ${percentile(searches, 0.95).toFixed(1)} ms, slowest ${Math.max(...searches).toFixed(0)} ms (${SEARCHES.length} queries, each twice, through the message protocol): ${SEARCHES.map((q, i) => `${q} ${searches[2 * i]!.toFixed(0)}/${searches[2 * i + 1]!.toFixed(0)} ms`).join(', ')}`;
}

/** What the box holds after each keystroke that searches (a space alone does not). */
const KEYSTROKES = TYPED.flatMap((query) => Array.from({ length: query.length }, (_, n) => query.slice(0, n + 1)).filter((typed) => typed.trim() && !typed.endsWith(' ')));

/** p50 and p95 of the popup's times, and each keystroke's. */
export function describeKeystrokes(times: number[]): string {
  return `p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms (${times.length} keystrokes: ${KEYSTROKES.map((typed, i) => `${typed} ${times[i]?.toFixed(0)}`).join(', ')})`;
}

/** Typed into the popup a character at a time; each time, from the input event to its results on screen. */
export async function timeKeystrokes(driver: Driver): Promise<number[]> {
  return driver.evaluate<number[]>(`(async () => {
    const input = document.querySelector('#search');
    const times = [];
    for (const typed of ${JSON.stringify(KEYSTROKES)}) {
      input.value = typed;
      const t = performance.now();
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        if (document.querySelector('[data-query="' + CSS.escape(typed.trim()) + '"]')) break;
      }
      times.push(performance.now() - t);
    }
    return times;
  })()`);
}
