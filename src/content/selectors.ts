// Every piece of YouTube's page that ArchiveLens relies on, in one place.
// When YouTube changes its markup, this is the file that changes.

/** The watch page's root element; its `video-id` attribute says which video the DOM shows. */
export const WATCH_FLEXY = 'ytd-watch-flexy';

/**
 * The watch page on screen. Pages visited earlier can stay in the DOM, hidden,
 * with their own players, metadata and columns (captures of 2025–2026): the
 * live one is the ytd-watch-flexy that is not `hidden`.
 */
export const LIVE_WATCH_FLEXY = `${WATCH_FLEXY}:not([hidden])`;

export function watchFlexyFor(videoId: string): string {
  return `${WATCH_FLEXY}[video-id="${CSS.escape(videoId)}"]`;
}

/** Attributes of ytd-watch-flexy that move the columns around. */
export const LAYOUT_ATTRIBUTES = ['theater', 'fullscreen', 'is-two-columns_', 'hidden'];

/** The right-hand column; there may be several, only one is displayed. */
export const SECONDARY_INNER = `${WATCH_FLEXY} #secondary-inner`;

/** One-column layouts: the metadata under the player, where the panel goes after. */
export const BELOW_METADATA = `${LIVE_WATCH_FLEXY} #below ytd-watch-metadata`;
export const BELOW = `${LIVE_WATCH_FLEXY} #below`;

/** YouTube marks its dark theme with a `dark` attribute on <html>. */
export const DARK_THEME_ATTRIBUTE = 'dark';

/** YouTube's own SPA navigation events, dispatched on document. */
export const NAVIGATE_FINISH_EVENTS = ['yt-navigate-finish', 'state-navigateend'];

// Pages of videos YouTube cannot play (2025–2026, see ../shared notes):
// the player's error screen (removed, private) marks ytd-watch-flexy with
// `player-unavailable`; deleted videos and dead channels show a promo screen
// outside the player, with no `video-id`. The same error container also
// holds YouTube's ad-block wall, which is not a gone video.
export const PLAYER_UNAVAILABLE_ATTRIBUTE = 'player-unavailable';
export const ERROR_SCREEN = 'yt-playability-error-supported-renderers#error-screen, #error-screen';
export const ADBLOCK_WALL = 'ytd-enforcement-message-view-model';
export const DELETED_PROMO = 'ytd-background-promo-renderer';
/** What changes when a page turns out to be an error page. */
export const GONE_ATTRIBUTES = [PLAYER_UNAVAILABLE_ATTRIBUTE, 'video-id', 'hidden'];
/** The part of the page that holds the watch page and the promo screen. */
export const PAGE_MANAGER = 'ytd-page-manager';
/** Where the archived post of a gone video goes: where the player would be, else before the promo screen. */
export const PRIMARY_INNER = `${WATCH_FLEXY} #primary-inner`;

// Thumbnails (2025–2026): the classic renderers' `a#thumbnail`, the new
// `yt-lockup-view-model` (its image link's class was camel-cased during a
// rename in August 2025, camelCase on home since April 2026, so both
// spellings), search rows of 2026-09 whose thumbnail had no `a#thumbnail`
// (the link that holds the thumbnail view model), Shorts shelves' reel links,
// and m.youtube.com's media links. The id comes from the link's href.
export const THUMBNAIL_LINKS = [
  'a#thumbnail[href]',
  'ytd-video-renderer a[href]:has(> yt-thumbnail-view-model, > ytd-thumbnail, > img)',
  'a.yt-lockup-view-model__content-image[href]',
  'a.ytLockupViewModelContentImage[href]',
  'a.reel-item-endpoint[href]',
  'a.shortsLockupViewModelHostEndpoint[href]',
  'ytm-video-with-context-renderer a.media-item-thumbnail-container[href]',
  'ytm-compact-video-renderer a.compact-media-item-image[href]',
  'ytm-reel-item-renderer a[href]',
].join(', ');
/** Where thumbnails live: one observer on this subtree finds new and recycled ones. */
export const THUMBNAILS_ROOT = 'ytd-app, ytm-app, #app';
/** A playlist's entry; deleted and private entries keep their link but lose their channel. */
export const PLAYLIST_ENTRY = 'ytd-playlist-video-renderer, ytd-playlist-panel-video-renderer';
export const PLAYLIST_ENTRY_TITLE = '#video-title';
export const PLAYLIST_ENTRY_CHANNEL = 'ytd-channel-name, #byline';

// Shorts: several ytd-reel-video-renderer exist at once (preloaded), each in
// a `.reel-video-in-sequence-new` container under #shorts-inner-container
// (2025–2026). Until 2025 the playing one had `is-active`; an audit of
// 2026-09 found no reel marked at all. The playing reel is the one that holds
// the Shorts player (#shorts-player), or the one in view; `is-active` is one
// hint among these, and a reel that names another video (a link or its
// poster's /vi/ID/) is never taken for the URL's. Everything is keyed on the
// URL's id.
export const SHORTS_ROOT = 'ytd-shorts';
export const SHORT_REEL = 'ytd-reel-video-renderer';
export const SHORT_ACTIVE_ATTRIBUTE = 'is-active';
export const SHORT_REEL_ID_HINTS = 'a[href*="/shorts/"], img[src*="/vi/"]';

// m.youtube.com: ytm-* elements, no ytd-watch-flexy and no video-id; the
// panel goes under the video's metadata once the navigation has finished.
export const MOBILE_APP = 'ytm-app';
export const MOBILE_METADATA = 'ytm-slim-video-metadata-section-renderer, ytm-slim-video-information-renderer';

// What the watch page shows now, where YouTube's player data cannot be had
// (src/content/page-text.ts asks the data first). Scoped to this video's
// ytd-watch-flexy: pages visited earlier stay in the DOM, hidden. The title:
// `h1.ytd-watch-metadata` matched 1 element on the live page where
// `ytd-watch-metadata #title` matched 5 (2026-09). The description: the
// inline expander's `#expanded`, which holds the whole text in 2024's layout
// and is empty until "...more" is clicked in 2025–2026's (then nothing is
// compared: the snippet shown before "...more" is cut short).
export const CURRENT_TITLE = 'ytd-watch-metadata h1.ytd-watch-metadata, ytd-watch-metadata #title h1';
export const CURRENT_DESCRIPTION = 'ytd-watch-metadata ytd-text-inline-expander #expanded, ytd-watch-metadata #description-inline-expander #expanded';
export const WATCH_METADATA = 'ytd-watch-metadata';

// The players, in the page's own world (src/page-world/player-data.ts): the
// watch page's has getPlayerResponse() and seekTo(); the Shorts player too.
// The live page's player first: an earlier page's may still be in the DOM.
export const MOVIE_PLAYERS = [`${LIVE_WATCH_FLEXY} #movie_player`, '#movie_player'];
export const SHORTS_PLAYER = '#shorts-player';
