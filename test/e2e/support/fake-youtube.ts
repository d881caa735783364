// A local HTTPS server that impersonates www.youtube.com closely enough for
// the content script: a watch page shaped like YouTube's (ytd-app,
// ytd-watch-flexy[video-id], #primary/#below/#secondary/#secondary-inner),
// SPA navigation that pushes history, updates `video-id` after the URL and
// fires yt-navigate-start/-finish, `html[dark]`, the --yt-spec-* variables,
// one-column layouts below 1000px, and YouTube's Trusted Types CSP.
// A page visited earlier stays in the DOM before the live one, hidden, with
// its own player, metadata and columns (as captures of the live page show).
// Videos named in GONE get YouTube's error pages: the player's error screen
// with an empty right-hand column (removed, private), the promo screen of a
// deleted video without `video-id`, and the ad-block wall (not gone); the
// player response says so as YouTube's does (ytInitialPlayerResponse on load,
// yt-navigate-finish's detail after SPA navigation, #movie_player).
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Tls } from './tls';

/** How each gone video fails, as YouTube shows it. */
export type GoneKind = 'removed' | 'private' | 'deleted' | 'adblock-wall' | 'age-gate';

const PAGE_SCRIPT = String.raw`
(() => {
  const GONE = JSON.parse(document.getElementById('gone-kinds').textContent);
  const CURRENT = JSON.parse(document.getElementById('current-text').textContent);
  // 2026 (the default): the description collapsed with an empty #expanded until "...more" is
  // clicked, text in span.ytAttributedStringHost, several #title elements. 2024: the whole
  // description in a hidden #expanded, the title in #title h1, no details in the player data.
  const LAYOUT = new URL(location.href).searchParams.get('layout') === '2024' ? '2024' : '2026';
  // The live page; an earlier one stays in the DOM before it, hidden, as on the live site.
  const flexy = () => document.querySelector('ytd-watch-flexy:not([data-stale]), ytd-watch-grid');
  const live = (selector) => flexy().querySelector(selector);
  const idOf = (url) => new URL(url, location.href).searchParams.get('v');
  const RELATED = ['-VWLP6-06Jc', 'GorsYGIeIK4', 'dQw4w9WgXcQ', 'W3-13_eyVQ4'];
  // What YouTube's player response says about a video.
  window.playerResponseFor = (id) => {
    const kind = GONE[id];
    if (kind === 'removed' || kind === 'deleted') return { playabilityStatus: { status: 'ERROR', reason: 'Video unavailable' } };
    if (kind === 'private') return { playabilityStatus: { status: 'LOGIN_REQUIRED', reason: 'Private video' } };
    if (kind === 'age-gate') return { playabilityStatus: { status: 'LOGIN_REQUIRED', desktopLegacyAgeGateReason: 1 }, videoDetails: { videoId: id } };
    // The live title, the whole description (shortDescription, a historical name) and the channel.
    // The 2024 variant leaves them out, so the content script falls back to the DOM.
    const now = CURRENT[id];
    const details = now && LAYOUT !== '2024' ? { title: now.title, shortDescription: now.description, author: 'A channel' } : {};
    return { playabilityStatus: { status: 'OK' }, videoDetails: { videoId: id, ...details } };
  };
  // As YouTube's first page has it.
  window.ytInitialPlayerResponse = idOf(location.href) ? playerResponseFor(idOf(location.href)) : null;
  let current = null;
  const player = live('#movie_player');
  // The earlier page's player still answers with its own video.
  const stalePlayer = document.querySelector('ytd-watch-flexy[data-stale] #movie_player');
  stalePlayer.getPlayerResponse = () => ({ playabilityStatus: { status: 'OK' }, videoDetails: { videoId: 'StaleVideo1', title: 'An earlier video', shortDescription: 'An earlier description', author: 'Another channel' } });
  player.getPlayerResponse = () => current;
  // The player's own seek, as YouTube's page world has it; the test reads where it went.
  player.seekTo = (seconds) => { window.lastSeek = seconds; };
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  }
  // Renders the page of video id (or the home page for null), as YouTube's DOM shows it.
  function render(id) {
    const f = flexy();
    const kind = id ? GONE[id] : undefined;
    live('#error-screen')?.remove();
    document.querySelector('ytd-background-promo-renderer')?.setAttribute('hidden', '');
    const related = live('#related');
    related.replaceChildren();
    current = id ? playerResponseFor(id) : null;
    if (!id || kind === 'deleted') {
      f.removeAttribute('video-id');
      f.removeAttribute('player-unavailable');
      f.hidden = true;
      if (kind === 'deleted') document.querySelector('ytd-background-promo-renderer').removeAttribute('hidden');
      return;
    }
    f.hidden = false;
    f.setAttribute('video-id', id);
    renderMetadata(id, kind ? null : CURRENT[id], kind);
    if (kind === 'removed' || kind === 'private' || kind === 'adblock-wall' || kind === 'age-gate') {
      f.setAttribute('player-unavailable', '');
      const screen = el('yt-playability-error-supported-renderers', { id: 'error-screen' });
      if (kind === 'adblock-wall') screen.append(el('ytd-enforcement-message-view-model', {}, 'Ad blockers violate YouTube\'s Terms of Service'));
      else {
        const message = el('yt-player-error-message-renderer');
        message.append(el('div', { id: 'reason' }, kind === 'private' ? 'Private video' : kind === 'age-gate' ? 'Sign in to confirm your age' : 'Video unavailable'));
        message.append(el('div', { id: 'subreason' }, kind === 'removed' ? 'This video has been removed by the uploader' : ''));
        screen.append(message);
      }
      live('#player').after(screen);
      return; // an empty right-hand column
    }
    f.removeAttribute('player-unavailable');
    // Related videos as YouTube lists them: a renderer with a thumbnail link and a title link.
    for (const rid of RELATED) {
      const item = el('ytd-compact-video-renderer');
      const thumb = el('a', { id: 'thumbnail', 'data-spa': '', href: '/watch?v=' + rid });
      item.append(el('ytd-thumbnail'), el('a', { 'data-spa': '', href: '/watch?v=' + rid }, 'Video ' + rid));
      item.firstChild.append(thumb);
      related.append(item);
    }
    related.append(el('a', { 'data-spa': '', href: '/' }, 'Home'));
  }
  const attributed = (text) => {
    const host = el('yt-attributed-string');
    host.append(el('span', { class: 'ytAttributedStringHost' }, text));
    return host;
  };
  // ytd-watch-metadata as YouTube renders it for a video: the title, the channel, the description.
  function renderMetadata(id, now, kind) {
    const metadata = live('ytd-watch-metadata');
    metadata.replaceChildren();
    if (LAYOUT === '2024') {
      const title = el('div', { id: 'title' });
      // Only what YouTube shows now of an edited video has the title's h1; others show a plain id.
      title.append(now ? el('h1', {}, now.title) : el('span', {}, kind ? '' : 'Video ' + id));
      metadata.append(title);
      if (now) {
        const expander = el('ytd-text-inline-expander');
        expander.append(el('div', { id: 'snippet' }, now.description.slice(0, 80) + '…'), el('div', { id: 'expanded', hidden: '' }, now.description));
        metadata.append(expander);
      }
      return;
    }
    const title = el('div', { id: 'title' });
    const h1 = el(now ? 'h1' : 'span', now ? { class: 'style-scope ytd-watch-metadata' } : {});
    h1.append(el('yt-formatted-string', {}, now ? now.title : kind ? '' : 'Video ' + id));
    title.append(h1);
    // Other #title elements, as the live page has them (five on 2026-09-19).
    const owner = el('div', { id: 'owner' });
    const channel = el('ytd-channel-name');
    channel.append(el('div', { id: 'title' }, 'A channel'));
    owner.append(channel);
    metadata.append(title, owner);
    if (!now) return;
    const inner = el('div', { id: 'description-inner' });
    const expander = el('ytd-text-inline-expander', { id: 'description-inline-expander' });
    const snippet = el('div', { id: 'snippet' });
    const snippetText = el('div', { id: 'snippet-text' });
    const snippetString = attributed(now.description.slice(0, 80));
    snippetString.id = 'attributed-snippet-text';
    snippetText.append(snippetString);
    snippet.append(snippetText);
    const more = el('tp-yt-paper-button', { id: 'expand' }, '...more');
    // Empty until the reader opens it.
    const expanded = el('div', { id: 'expanded' });
    more.addEventListener('click', () => {
      expander.setAttribute('is-expanded', '');
      expanded.replaceChildren(attributed(now.description));
      snippet.hidden = true;
      more.hidden = true;
    });
    expander.append(snippet, more, expanded);
    inner.append(expander);
    metadata.append(inner);
  }
  // Since September 2025 #related moves between #secondary-inner and #below as the window crosses the breakpoint.
  function layout() {
    const f = flexy();
    if (!f) return;
    const twoColumns = innerWidth >= 1000;
    if (twoColumns) f.setAttribute('is-two-columns_', ''); else f.removeAttribute('is-two-columns_');
    const related = live('#related');
    const home = twoColumns ? live('#secondary-inner') : live('#below');
    if (related.parentElement !== home) home.append(related);
  }
  const finish = (id) => document.dispatchEvent(new CustomEvent('yt-navigate-finish', {
    detail: { pageType: id ? 'watch' : 'browse', response: id ? { playerResponse: playerResponseFor(id) } : {}, endpoint: id ? { watchEndpoint: { videoId: id } } : {} },
  }));
  // Like YouTube: the URL changes first, the DOM a moment later.
  window.ytNavigate = (url) => {
    document.dispatchEvent(new CustomEvent('yt-navigate-start'));
    history.pushState({}, '', url);
    const id = idOf(url);
    setTimeout(() => {
      render(id);
      finish(id);
    }, 30);
  };
  document.addEventListener('click', (event) => {
    const a = event.target.closest('a[data-spa]');
    if (!a) return;
    event.preventDefault();
    ytNavigate(a.href);
  });
  addEventListener('popstate', () => {
    const id = idOf(location.href);
    setTimeout(() => {
      render(id);
      finish(id);
    }, 30);
  });
  addEventListener('resize', layout);
  render(idOf(location.href));
  layout();
})();
`;

const STYLE = `
[hidden] { display: none !important; }
html { font-size: 10px; font-family: Roboto, "Noto Sans CJK TC", sans-serif; }
html { --yt-spec-base-background: #fff; --yt-spec-text-primary: #0f0f0f; --yt-spec-text-secondary: #606060;
  --yt-spec-badge-chip-background: rgba(0,0,0,0.05); --yt-spec-10-percent-layer: rgba(0,0,0,0.1); --yt-spec-call-to-action: #065fd4; }
html[dark] { --yt-spec-base-background: #0f0f0f; --yt-spec-text-primary: #f1f1f1; --yt-spec-text-secondary: #aaa;
  --yt-spec-badge-chip-background: rgba(255,255,255,0.1); --yt-spec-10-percent-layer: rgba(255,255,255,0.2); --yt-spec-call-to-action: #3ea6ff; }
body { margin: 0; background: var(--yt-spec-base-background); color: var(--yt-spec-text-primary); }
ytd-app, ytd-page-manager, ytd-watch-flexy, ytd-watch-grid, ytd-watch-metadata { display: block; }
#columns { display: flex; gap: 24px; padding: 24px; }
#primary { flex: 1; }
#player { aspect-ratio: 16 / 9; background: #000; border-radius: 12px; }
#secondary { width: 402px; flex: none; }
ytd-watch-flexy:not([is-two-columns_]) #secondary { display: none; }
#related a { display: block; padding: 6px 0; color: var(--yt-spec-text-primary); font-size: 1.4rem; }
ytd-compact-video-renderer { display: grid; grid-template-columns: 168px 1fr; gap: 8px; align-items: start; }
ytd-compact-video-renderer a#thumbnail { position: relative; aspect-ratio: 16 / 9; background: #ccc; border-radius: 8px; padding: 0; }
h1 { font-size: 2rem; }
yt-playability-error-supported-renderers { display: block; padding: 48px; background: #000; color: #fff; font-size: 2rem; border-radius: 12px; }
ytd-background-promo-renderer { display: block; padding: 80px 24px; text-align: center; font-size: 2rem; }
ytd-background-promo-renderer[hidden] { display: none; }
`;

function watchPage(videoId: string | null, dark: boolean, gone: Record<string, GoneKind>, current: Record<string, { title: string; description: string }>, heartbeat = false, grid = false): string {
  // `?layout=grid`: the watch page as an A/B test of 2024 had it (ytd-watch-grid), which ArchiveLens does not know.
  const tag = grid ? 'ytd-watch-grid' : 'ytd-watch-flexy';
  return `<!doctype html>
<html lang="en"${dark ? ' dark' : ''}>
<head><meta charset="utf-8"><title>YouTube</title><style>${STYLE}</style>${heartbeat ? `<script>${HEARTBEAT_SCRIPT}</script>` : ''}</head>
<body>
<ytd-app><ytd-page-manager id="page-manager">
  <ytd-watch-flexy hidden data-stale video-id="StaleVideo1" is-two-columns_><div id="columns"><div id="primary"><div id="primary-inner">
    <div id="player"><div id="movie_player"></div></div><div id="below"><ytd-watch-metadata><div id="title"><h1 class="style-scope ytd-watch-metadata">An earlier video</h1></div></ytd-watch-metadata></div>
  </div></div><div id="secondary"><div id="secondary-inner"><div id="related"></div></div></div></div></ytd-watch-flexy>
  <${tag} ${videoId ? `video-id="${videoId}"` : 'hidden'} is-two-columns_>
    <div id="columns">
      <div id="primary"><div id="primary-inner">
        <div id="player"><div id="movie_player"></div></div>
        <div id="below"><ytd-watch-metadata></ytd-watch-metadata>
          <div id="comments">Comments</div></div>
      </div></div>
      <div id="secondary"><div id="secondary-inner"><div id="related"></div></div></div>
    </div>
  </${tag}>
  <ytd-background-promo-renderer hidden><div class="promo-title">This video isn't available anymore</div>
    <div class="promo-body-text">Go to home</div></ytd-background-promo-renderer>
</ytd-page-manager></ytd-app>
<script type="application/json" id="gone-kinds">${JSON.stringify(gone)}</script>
<script type="application/json" id="current-text">${JSON.stringify(current).replace(/</g, '\\u003c')}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>`;
}

/** Pages of thumbnails: the home feed, search results and a playlist, shaped like YouTube's. */
export interface FeedPages {
  /** The home feed's videos, in order (half classic renderers, half yt-lockup-view-model). */
  feed?: string[];
  /** A playlist's entries; deleted and private ones show "[Deleted video]" / "[Private video]" and no channel, as YouTube's do. */
  playlist?: { videoId: string; deleted: boolean | 'private' }[];
  /** What watch pages show now for some videos: a title and the whole description (edited since they were archived, say). */
  current?: Record<string, { title: string; description: string }>;
  /** Shorts in swipe order: /shorts/ID shows that one active, its neighbours preloaded. */
  shorts?: string[];
  /**
   * Watch pages record the main thread's stalls from their first script on
   * (`window.stalls()`: the longest gaps between timer ticks, in ms), which
   * is how long any task, ArchiveLens's content script's included, held the page.
   */
  heartbeat?: boolean;
}

/** Timer ticks every few ms; a gap well past that is a task that held the main thread. */
const HEARTBEAT_SCRIPT = `
(() => {
  const gaps = [];
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    if (now - last > 20) gaps.push(Math.round(now - last));
    last = now;
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  window.stalls = (reset) => {
    const worst = [...gaps].sort((a, b) => b - a).slice(0, 5);
    if (reset) gaps.length = 0;
    return worst;
  };
})();
`;

/**
 * /shorts/ID: that Short playing, its neighbours preloaded. 2026 (the default): reels in
 * `.reel-video-in-sequence-new` containers under #shorts-inner-container, none marked
 * `is-active`, the playing one holding #shorts-player and scrolled into view. 2024
 * (`?layout=2024`): the playing reel marked `is-active`, no player inside.
 */
function shortsPage(shorts: string[], current: string, layout: '2024' | '2026'): string {
  return browsePage(`<ytd-shorts><div id="shorts-inner-container"></div><div id="shorts-player-home"><div id="shorts-player"></div></div></ytd-shorts>
<script>
  const SHORTS = ${JSON.stringify(shorts)};
  const LAYOUT = ${JSON.stringify(layout)};
  const container = document.querySelector('#shorts-inner-container');
  const player = document.querySelector('#shorts-player');
  const reelOf = (id) => container.querySelector('[data-short="' + id + '"]');
  // The playing Short and its preloaded neighbours, as YouTube keeps them.
  function renderers(active) {
    const at = SHORTS.indexOf(active);
    for (const id of SHORTS.slice(Math.max(0, at - 1), at + 2)) {
      if (reelOf(id)) continue;
      const r = document.createElement('ytd-reel-video-renderer');
      r.dataset.short = id;
      r.textContent = 'Short ' + id;
      if (LAYOUT === '2024') container.append(r);
      else {
        const sequence = document.createElement('div');
        sequence.className = 'reel-video-in-sequence-new';
        sequence.append(r);
        container.append(sequence);
      }
    }
    if (LAYOUT === '2024') {
      for (const r of container.querySelectorAll('ytd-reel-video-renderer')) r.toggleAttribute('is-active', r.dataset.short === active);
    } else {
      reelOf(active).prepend(player);
      reelOf(active).scrollIntoView({ block: 'center' });
    }
  }
  renderers(${JSON.stringify(current)});
  // A swipe: the URL first, then the next reel plays, then the navigation finishes.
  window.swipeShort = () => {
    const next = SHORTS[SHORTS.indexOf(location.pathname.split('/')[2]) + 1];
    history.pushState({}, '', '/shorts/' + next);
    setTimeout(() => {
      renderers(next);
      document.dispatchEvent(new CustomEvent('yt-navigate-finish', { detail: { pageType: 'shorts' } }));
    }, 30);
  };
</script>`);
}

const MOBILE_STYLE = `
body { margin: 0; font-family: Roboto, "Noto Sans CJK TC", sans-serif; font-size: 10px; }
#player { aspect-ratio: 16 / 9; background: #000; }
ytm-app, ytm-watch, ytm-slim-video-metadata-section-renderer { display: block; }
ytm-slim-video-metadata-section-renderer { padding: 12px; font-size: 1.6rem; }
`;

/** m.youtube.com's watch page: ytm-* elements, no video-id; navigation fires state-navigateend and changes the title. */
function mobilePage(videoId: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${videoId ? `Video ${videoId} - YouTube` : 'YouTube'}</title><style>${MOBILE_STYLE}</style></head>
<body><ytm-app><ytm-watch ${videoId ? '' : 'hidden'}><div id="player" loading="false"></div>
  <ytm-slim-video-metadata-section-renderer><h2 id="title">Video ${videoId ?? ''}</h2></ytm-slim-video-metadata-section-renderer>
  <div id="comments">Comments</div></ytm-watch></ytm-app>
<script>
  window.ytNavigate = (url) => {
    history.pushState({}, '', url);
    const id = new URL(url, location.href).searchParams.get('v');
    setTimeout(() => {
      document.querySelector('ytm-watch').hidden = !id;
      document.querySelector('#title').textContent = 'Video ' + (id ?? '');
      document.title = id ? 'Video ' + id + ' - YouTube' : 'YouTube';
      document.dispatchEvent(new CustomEvent('state-navigateend'));
    }, 30);
  };
</script></body></html>`;
}

const FEED_STYLE = `
#grid { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; padding: 24px; }
.thumb, a#thumbnail, a.yt-lockup-view-model__content-image, a.ytLockupViewModelContentImage { display: block; position: relative; aspect-ratio: 16 / 9; background: #ccc; border-radius: 12px; }
ytd-rich-item-renderer, yt-lockup-view-model, ytd-playlist-video-renderer, ytd-video-renderer, ytd-shorts { display: block; }
#shorts-inner-container { height: 100vh; overflow-y: auto; scroll-snap-type: y mandatory; }
.reel-video-in-sequence-new { scroll-snap-align: center; padding: 24px 0; }
ytd-reel-video-renderer { display: block; position: relative; width: 360px; height: 640px; margin: 24px auto; background: #222; color: #fff; border-radius: 12px; }
#shorts-player { position: absolute; inset: auto 0 0 0; height: 4px; background: #f00; }
ytd-video-renderer, ytd-search yt-lockup-view-model { display: grid; grid-template-columns: 360px 1fr; gap: 16px; padding: 8px 24px; }
ytd-playlist-video-renderer { display: grid; grid-template-columns: 240px 1fr; gap: 12px; padding: 8px 24px; }
#video-title { font-size: 1.4rem; font-weight: 500; }
grid-shelf-view-model { display: flex; gap: 12px; padding: 24px 24px 0; }
ytm-shorts-lockup-view-model-v2 { display: block; width: 120px; }
a.reel-item-thumb { display: block; position: relative; aspect-ratio: 9 / 16; background: #ccc; border-radius: 8px; }
`;

function feedItem(videoId: string, i: number): string {
  // Home in 2026 is yt-lockup-view-model with camelCase classes (April 2026) and the id in a
  // content-id-ID class; the classic renderer (a#thumbnail) stays on other pages: both appear.
  if (i % 2 === 0) {
    return `<ytd-rich-item-renderer><ytd-rich-grid-media><ytd-thumbnail><a id="thumbnail" href="/watch?v=${videoId}"><img src="https://i.ytimg.com/vi/${videoId}/hqdefault.jpg" alt=""></a></ytd-thumbnail>
      <h3><a id="video-title-link" href="/watch?v=${videoId}">Video ${videoId}</a></h3></ytd-rich-grid-media></ytd-rich-item-renderer>`;
  }
  return `<ytd-rich-item-renderer><div id="content"><yt-lockup-view-model class="ytLockupViewModelWrapper"><div class="ytLockupViewModelHost content-id-${videoId}">
    <a class="ytLockupViewModelContentImage" href="/watch?v=${videoId}"><yt-thumbnail-view-model></yt-thumbnail-view-model></a>
    <h3>Video ${videoId}</h3></div></yt-lockup-view-model></div></ytd-rich-item-renderer>`;
}

function browsePage(body: string, dark = false): string {
  return `<!doctype html>
<html lang="en"${dark ? ' dark' : ''}>
<head><meta charset="utf-8"><title>YouTube</title><style>${STYLE}${FEED_STYLE}</style></head>
<body><ytd-app><ytd-page-manager id="page-manager"><ytd-browse>${body}</ytd-browse></ytd-page-manager></ytd-app>
<script>
  // Like YouTube's recycling: the renderer at index i now shows another video.
  window.recycle = (i, videoId) => {
    const item = document.querySelectorAll('#grid > ytd-rich-item-renderer')[i];
    for (const a of item.querySelectorAll('a')) a.setAttribute('href', '/watch?v=' + videoId);
  };
  // Like a feed's continuation: more items appended as the user scrolls (built with DOM calls: Trusted Types).
  window.appendVideos = (ids) => {
    for (const id of ids) {
      const item = document.createElement('ytd-rich-item-renderer');
      const thumb = document.createElement('ytd-thumbnail');
      const a = document.createElement('a');
      a.id = 'thumbnail';
      a.href = '/watch?v=' + id;
      thumb.append(a);
      item.append(thumb);
      document.querySelector('#grid').append(item);
    }
  };
</script>
</body></html>`;
}

/** A Shorts shelf in a feed, as captured in November 2025: Shorts lockups in grid-shelf-view-model. */
function shortsShelf(ids: string[]): string {
  return `<grid-shelf-view-model id="shorts-shelf">${ids.map((id) => `<ytm-shorts-lockup-view-model-v2><a class="shortsLockupViewModelHostEndpoint reel-item-thumb" href="/shorts/${id}"></a><h3>Short ${id}</h3></ytm-shorts-lockup-view-model-v2>`).join('')}</grid-shelf-view-model>`;
}

function feedPage(ids: string[], dark: boolean): string {
  return browsePage(`${shortsShelf(ids.slice(0, 6))}<div id="grid">${ids.map(feedItem).join('')}</div>`, dark);
}

/**
 * Search results: ytd-video-renderer rows and yt-lockup-view-model, in ytd-search. The rows are
 * 2026-09's, whose thumbnail has no a#thumbnail: a plain endpoint link around yt-thumbnail-view-model.
 */
function resultsPage(ids: string[]): string {
  return browsePage(`<ytd-search><div id="contents">${ids.map((id, i) => i % 2 === 0
    ? `<ytd-video-renderer><div id="dismissible"><a class="yt-simple-endpoint thumb" href="/watch?v=${id}&pp=ygUEdGVzdA%3D%3D"><yt-thumbnail-view-model></yt-thumbnail-view-model></a><div id="meta"><h3><a id="video-title" class="yt-simple-endpoint" href="/watch?v=${id}&pp=ygUEdGVzdA%3D%3D">Video ${id}</a></h3></div></div></ytd-video-renderer>`
    : `<yt-lockup-view-model><a class="yt-lockup-view-model__content-image thumb" href="/watch?v=${id}"></a><h3>Video ${id}</h3></yt-lockup-view-model>`).join('')}</div></ytd-search>`);
}

function playlistPage(entries: { videoId: string; deleted: boolean | 'private' }[]): string {
  return browsePage(entries.map((e, i) => `<ytd-playlist-video-renderer>
    <ytd-thumbnail><a id="thumbnail" href="/watch?v=${e.videoId}&list=PLtest&index=${i + 1}"></a></ytd-thumbnail>
    <div><h3><a id="video-title" href="/watch?v=${e.videoId}&list=PLtest">${e.deleted === 'private' ? '[Private video]' : e.deleted ? '[Deleted video]' : `Video ${e.videoId}`}</a></h3>
    <div id="byline"><ytd-channel-name>${e.deleted ? '' : 'A channel'}</ytd-channel-name></div></div>
  </ytd-playlist-video-renderer>`).join(''));
}

export interface FakeYouTube {
  port: number;
  origin: string;
  close(): Promise<void>;
}

export async function startFakeYouTube(tls: Tls, gone: Record<string, GoneKind> = {}, pages: FeedPages = {}): Promise<FakeYouTube> {
  const server: Server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://www.youtube.com');
    const dark = url.searchParams.get('theme') === 'dark';
    const videoId = url.pathname === '/watch' ? url.searchParams.get('v') : null;
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // YouTube enforces Trusted Types: innerHTML with a string throws.
      'content-security-policy': "require-trusted-types-for 'script'",
      'cache-control': 'no-store',
    });
    if (req.headers.host?.startsWith('m.youtube.com')) res.end(mobilePage(url.pathname === '/watch' ? url.searchParams.get('v') : null));
    else if (url.pathname.startsWith('/shorts/') && pages.shorts) res.end(shortsPage(pages.shorts, url.pathname.split('/')[2]!, url.searchParams.get('layout') === '2024' ? '2024' : '2026'));
    else if (url.pathname === '/feed' && pages.feed) res.end(feedPage(pages.feed, dark));
    else if (url.pathname === '/results' && pages.feed) res.end(resultsPage(pages.feed.slice(0, 20)));
    else if (url.pathname === '/playlist' && pages.playlist) res.end(playlistPage(pages.playlist));
    else {
      // A page that measures its stalls carries only its own video's current text: parsing every
      // edited description (megabytes) would be the page's own stall, not ArchiveLens's.
      const current = pages.heartbeat ? Object.fromEntries(Object.entries(pages.current ?? {}).filter(([id]) => id === videoId)) : pages.current ?? {};
      res.end(watchPage(videoId, dark, gone, current, pages.heartbeat, url.searchParams.get('layout') === 'grid'));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: 'https://www.youtube.com',
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
