// The library: everything the archive holds, to browse rather than to look
// up. Channels, months and tags with their post counts (counted at import),
// the same search as the popup, and one list of any length (every post
// newest first, or a query's answers) that reads a page at a time as it
// scrolls. A chosen post opens as the panel shows it.
import { PageCache } from './page-cache';
import { useEffect, useRef, useState } from 'preact/hooks';
import { nameFilter } from '../core/name-filter';
import type { LibraryOverview } from '../shared/messages';
import { ask } from '../shared/client';
import { countOf, describeError, formatDate, formatNumber, t } from '../shared/i18n';
import type { PostView } from '../shared/messages';
import { Highlighted } from '../ui/Highlighted';
import { PostCard } from '../ui/PostCard';
import { TextActionsContext } from '../ui/RichText';
import { SearchInput } from '../ui/SearchInput';
import { VirtualList } from './VirtualList';
import { RemovedMark } from '../ui/RemovedMark';

const PAGE = 100;
const ROW_HEIGHT = 60;
const CHANNELS_SHOWN = 40;
const TAGS_SHOWN = 60;

interface ListState {
  query: string;
  total: number;
  approximate?: boolean;
  tooShort?: boolean;
}

export function Library() {
  const [overview, setOverview] = useState<LibraryOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [input, setInput] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const query = input.trim();
  const [list, setList] = useState<ListState | null>(null);
  const [selected, setSelected] = useState<PostView | null>(null);
  const [allChannels, setAllChannels] = useState(false);
  const pages = useRef(new PageCache<PostView>());
  const generation = useRef(0);
  const [, redraw] = useState(0);

  useEffect(() => {
    ask('library', {}).then(setOverview, (e: unknown) => setError(describeError(e)));
  }, []);

  const load = (page: number) => {
    if (pages.current.has(page)) return;
    const asked = generation.current;
    const q = query;
    pages.current.set(page, 'loading');
    ask('browse', { query: q, offset: page * PAGE, limit: PAGE }).then(
      (r) => {
        if (asked !== generation.current) return; // an answer to an older query
        pages.current.set(page, r.posts);
        setList({ query: q, total: r.total, approximate: r.approximate, tooShort: r.tooShort });
        redraw((n) => n + 1);
      },
      (e: unknown) => asked === generation.current && setError(describeError(e)),
    );
  };

  useEffect(() => {
    generation.current++;
    pages.current = new PageCache<PostView>();
    setList(null);
    setError(null);
    load(0);
    history.replaceState(null, '', query ? `?q=${encodeURIComponent(query)}` : location.pathname);
  }, [query]);

  const onRange = (first: number, last: number) => {
    for (let page = Math.floor(first / PAGE); page * PAGE < Math.max(last, first + 1); page++) load(page);
    pages.current.keepNear(Math.floor(first / PAGE), Math.floor(Math.max(last - 1, first) / PAGE));
  };

  const row = (i: number) => {
    const page = pages.current.get(Math.floor(i / PAGE));
    const post = Array.isArray(page) ? page[i % PAGE] : undefined;
    if (!post) return <div class="library-row library-row-empty" aria-busy={page === 'loading'} />;
    return (
      <button type="button" class="library-row" aria-pressed={selected?.key === post.key} onClick={() => setSelected(post)}>
        <span class="library-row-title">
          <Highlighted text={post.title} ranges={post.matches?.title ?? []} />
        </span>
        <span class="al-muted library-row-meta">
          <time dateTime={post.date}>{formatDate(post.date)}</time> · {post.channel || post.author}
          {post.removedAt !== undefined && ' · '}
          <RemovedMark at={post.removedAt} />
        </span>
      </button>
    );
  };

  const maxMonth = Math.max(1, ...(overview?.months.map(([, n]) => n) ?? []));
  const channels = overview ? (allChannels ? overview.channels : overview.channels.slice(0, CHANNELS_SHOWN)) : [];
  const set = (text: string) => {
    setInput(text);
    setSelected(null);
  };

  return (
    <TextActionsContext.Provider value={{ hashtag: set }}>
    <div class="library">
      <header class="library-header">
        <h1>{t('libraryHeading')}</h1>
        {overview && (
          <p class="al-muted">
            {t('libraryArchiveSize', countOf('Posts', overview.posts), countOf('Channels', overview.channelCount))}
            {overview.pending > 0 && ` ${t('libraryPending')}`}
          </p>
        )}
        <label class="library-search">
          <span class="visually-hidden">{t('popupSearchLabel')}</span>
          <SearchInput id="library-search" value={input} onQuery={set} />
        </label>
        {query && (
          <button type="button" class="al-link-button" onClick={() => set('')}>
            {t('libraryShowEverything')}
          </button>
        )}
      </header>

      <nav class="library-facets" aria-label={t('libraryBrowseBy')}>
        <section>
          <h2>{t('libraryChannels')}</h2>
          <ul class="library-channels">
            {channels.map(([name, count]) => (
              <li key={name}>
                <button type="button" class="library-facet" onClick={() => set(nameFilter('channel', name))}>
                  <span>{name}</span> <span class="al-muted">{formatNumber(count)}</span>
                </button>
              </li>
            ))}
          </ul>
          {overview && overview.channels.length > CHANNELS_SHOWN && (
            <button type="button" class="al-link-button" onClick={() => setAllChannels(!allChannels)}>
              {allChannels ? t('libraryFewer') : t('libraryShowAll', formatNumber(overview.channels.length))}
            </button>
          )}
        </section>
        <section>
          <h2>{t('libraryMonths')}</h2>
          <ol class="library-months">
            {overview?.months.map(([month, count]) => (
              <li key={month}>
                <button type="button" class="library-month" onClick={() => set(month)} title={t('libraryCount', formatNumber(count))}>
                  <span class="library-month-name">{month}</span>
                  <span class="library-month-bar" style={{ width: `${Math.max(2, (count / maxMonth) * 100)}%` }} />
                  <span class="al-muted library-month-count">{formatNumber(count)}</span>
                </button>
              </li>
            ))}
          </ol>
        </section>
        <section>
          <h2>{t('libraryTags')}</h2>
          <ul class="library-tags">
            {overview?.tags.slice(0, TAGS_SHOWN).map(([name, count]) => (
              <li key={name}>
                <button type="button" class="al-tag library-facet" onClick={() => set(nameFilter('tag', name))}>
                  {name} <span class="al-muted">{formatNumber(count)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </nav>

      <main class="library-list">
        <p class="al-muted library-status" aria-live="polite" data-query={list?.query}>
          {error
            ? t('panelError', error)
            : !list
              ? t('panelLoading')
              : list.tooShort
                ? t('popupSearchTooShort')
                : list.total === 0
                  ? t('popupNoResults')
                  : list.total === 1
                    ? t('libraryCountOne')
                    : t('libraryCount', `${list.approximate ? '≈' : ''}${formatNumber(list.total)}`)}
        </p>
        <VirtualList total={list?.total ?? 0} rowHeight={ROW_HEIGHT} row={row} onRange={onRange} label={t('libraryPosts')} resetKey={query} />
      </main>

      <aside class="library-detail" aria-label={t('libraryPost')}>
        {selected ? (
          <div class="al-post-list">
            <PostCard post={selected} open onToggle={() => setSelected(null)} />
          </div>
        ) : (
          <p class="al-muted">{t('libraryPick')}</p>
        )}
      </aside>
    </div>
    </TextActionsContext.Provider>
  );
}
