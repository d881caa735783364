// Chromium's fetch reads a response's body off the network as fast as it
// comes and keeps what the page has not read yet in the extension's own
// process (Blink's BufferingBytesConsumer, begun 50 ms after the response),
// unless the request carries `integrity` or the response says
// `Cache-Control: no-store` (FetchManager::Loader::DidStartLoadingResponseBody).
// Without it, the page's reads are what pull the body through a small pipe,
// and TCP holds the rest on GitHub's side: a sync's download comes as fast as
// the sync reads it, and nothing of it piles up.
//
// A session rule of declarativeNetRequest says `no-store` on the answers to
// the extension's own requests to GitHub's API (the tree listing: 30 MB at
// 122,000 files) and codeload (the tarball), nobody else's. Measured in
// Chromium, society ×8 (`MEMORY_DUMP_AT_S=2 npx tsx scripts/probe/sync-memory.ts`):
// two seconds in, Blink's heap in the service worker 2.3 MiB against 26.8 and
// ArrayBuffers 40 against 59; the extension process 319–324 MiB against
// 375–390; the sync as long (12.7–12.8 s against 12.3–13.1). Nothing else
// changes: the extension asks with `cache: 'no-store'` already (sync/http.ts),
// which keeps the answers out of the HTTP cache but, being the request's,
// not out of Blink's read-ahead: that looks at the answer's header alone.
//
// Firefox reads ahead whatever the answer says (its fetch fills a pipe
// without bound): there the download is kept on disk when it runs ahead
// (sync/spool.ts), and this permission is not asked for (vite.config.ts).
import browser from 'webextension-polyfill';

/** The hosts whose answers to the extension are read at the sync's pace. */
export const PACED_HOSTS = ['api.github.com', 'codeload.github.com'];
const RULE_ID = 1;

let pacing: Promise<boolean> | null = null;

/**
 * Says `no-store` on the extension's own downloads from GitHub, once per
 * background (a session rule outlives the service worker, and is replaced,
 * not added twice). Whether it did: false where there is no
 * declarativeNetRequest (Firefox's build) or the rule was refused.
 */
export function paceDownloads(): Promise<boolean> {
  pacing ??= (async () => {
    const dnr = (browser as Partial<typeof browser>).declarativeNetRequest;
    if (!dnr?.updateSessionRules) return false;
    try {
      await dnr.updateSessionRules({
        removeRuleIds: [RULE_ID],
        addRules: [{
          id: RULE_ID,
          priority: 1,
          action: { type: 'modifyHeaders', responseHeaders: [{ header: 'cache-control', operation: 'set', value: 'no-store' }] },
          // The extension's own requests (fetch in its pages, workers and service worker): never a web page's.
          condition: { requestDomains: PACED_HOSTS, initiatorDomains: [browser.runtime.id], resourceTypes: ['xmlhttprequest'] },
        }],
      });
      return true;
    } catch (error) {
      console.error('ArchiveLens: downloads from GitHub cannot be paced; a download that runs ahead is kept on disk', error);
      return false;
    }
  })();
  return pacing;
}

/**
 * Whether this response's body comes only as fast as it is read: our rule is
 * in place and said `no-store` on it. Such a download never runs ahead of the
 * sync, so it is never kept on disk (sync/spool.ts).
 */
export async function pacedResponse(): Promise<(response: Response) => boolean> {
  const paced = await paceDownloads();
  return (response) => paced && /(^|,)\s*no-store\s*(,|$)/i.test(response.headers.get('cache-control') ?? '');
}

/** For tests: the next call registers the rule again. */
export function forgetPacing(): void {
  pacing = null;
}
