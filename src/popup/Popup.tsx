// The toolbar popup: what the archive holds for the current tab's video, and
// a search over the whole archive.
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { videoIdFromUrl } from '../core/youtube';
import { ask } from '../shared/client';
import { countOf, describeError, formatNumber, isOne, t } from '../shared/i18n';
import type { ArchiveStats, LookupResult, PageStatus, SearchHit, TabMessage } from '../shared/messages';
import { PostList } from '../ui/PostList';
import { MentionList } from '../ui/MentionList';
import { SearchResults } from './SearchResults';
import { SearchInput } from '../ui/SearchInput';
import { withBoilerplate } from '../shared/boilerplate';
import { TextActionsContext } from '../ui/RichText';

type TabState =
  | { kind: 'loading' }
  | { kind: 'no-video' }
  | { kind: 'video'; result: LookupResult; layoutUnrecognised?: boolean }
  | { kind: 'error'; message: string };

async function currentTabState(): Promise<TabState> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  const videoId = tab?.url ? videoIdFromUrl(tab.url) : null;
  if (!videoId) return { kind: 'no-video' };
  // Whether the tab's page had the spots the panel knows (the content script says; none there: no answer).
  const status = tab?.id === undefined ? null : await browser.tabs.sendMessage(tab.id, { type: 'pageStatus' } satisfies TabMessage).then(
    (answer) => answer as PageStatus | undefined,
    () => undefined,
  );
  return { kind: 'video', result: await ask('lookup', { videoId }), layoutUnrecognised: status?.layout === 'unrecognised' };
}

export function Popup() {
  const [tab, setTab] = useState<TabState>({ kind: 'loading' });
  const [stats, setStats] = useState<ArchiveStats | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ query: string; posts: SearchHit[]; total: number; approximate?: boolean; tooShort?: boolean } | null>(null);
  // Every keystroke searches (the index answers in milliseconds); an answer to an older query is dropped.
  const typed = query.trim();

  useEffect(() => {
    currentTabState().then((state) => {
      setTab(state);
      // Then the channels' usual text, folded behind the posts' own words.
      if (state.kind === 'video') withBoilerplate(state.result).then((result) => setTab({ ...state, result }), () => {});
    }, (e: unknown) => setTab({ kind: 'error', message: describeError(e) }));
    ask('stats', {}).then(setStats, () => {});
  }, []);

  useEffect(() => {
    if (!typed) return setResults(null);
    let live = true;
    ask('search', { query: typed, limit: 30 }).then(
      (r) => live && setResults({ query: typed, ...r }),
      () => live && setResults({ query: typed, posts: [], total: 0 }),
    );
    return () => {
      live = false;
    };
  }, [typed]);

  return (
    // Hashtags in a post search the archive here; times link to their moment on YouTube.
    <TextActionsContext.Provider value={{ hashtag: setQuery }}>
    <main class="popup">
      <section aria-labelledby="this-video">
        <h1 id="this-video" class="popup-heading">{t('popupThisVideo')}</h1>
        {tab.kind === 'loading' && <p class="al-muted">{t('panelLoading')}</p>}
        {tab.kind === 'no-video' && <p class="al-muted">{t('popupNotVideo')}</p>}
        {tab.kind === 'error' && <p role="alert">{t('panelError', tab.message)}</p>}
        {tab.kind === 'video' && tab.layoutUnrecognised && <p class="al-muted popup-layout" role="note">{t('popupLayoutUnrecognised')}</p>}
        {tab.kind === 'video' && <VideoSummary result={tab.result} />}
      </section>

      <section class="popup-search">
        <label for="search" class="popup-heading">{t('popupSearchLabel')}</label>
        <SearchInput id="search" value={query} onQuery={setQuery} />
        {results && (
          <div aria-live="polite" data-query={results.query}>
            <p class="al-muted">
              {results.tooShort
                ? t('popupSearchTooShort')
                : results.total === 0
                ? t('popupNoResults')
                : isOne(results.total) && results.total === results.posts.length
                  ? t('popupResultsOne')
                : results.total > results.posts.length
                  ? t('popupResultsShown', countOf('Posts', results.total, results.approximate ? '≈' : ''), formatNumber(results.posts.length))
                  : t('popupResults', formatNumber(results.total))}
            </p>
            <SearchResults posts={results.posts} />
          </div>
        )}
      </section>

      <footer class="popup-footer">
        {stats && (
          <p class="al-muted">
            {stats.importing
              ? t('popupImporting')
              : t('popupArchiveSize', countOf('Posts', stats.posts), countOf('Videos', stats.videos), countOf('Channels', stats.channels))}
            {!stats.importing && stats.sources.length > 0 && stats.sources.every((s) => s.builtin) && ` ${t('popupBuiltinOnly')}`}
          </p>
        )}
        <a class="al-link-button" href={browser.runtime.getURL('src/library/index.html')} target="_blank" rel="noopener">
          {t('libraryOpen')}
        </a>
        {' · '}
        <button type="button" class="al-link-button" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('popupOpenOptions')}
        </button>
      </footer>
    </main>
    </TextActionsContext.Provider>
  );
}

function VideoSummary({ result }: { result: LookupResult }) {
  if (!result.archived.length && !result.mentioned.length) return <p class="al-muted">{t('popupNotArchived')}</p>;
  return (
    <>
      {result.archived.length > 0 && <PostList posts={result.archived} />}
      {result.mentioned.length > 0 && (
        <>
          <h2 class="popup-subheading">{t('panelMentioned')}</h2>
          <MentionList result={result} firstOpen={result.archived.length === 0} />
        </>
      )}
    </>
  );
}
