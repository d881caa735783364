// Every piece of YouTube's page that ArchiveLens relies on, in one place.
// When YouTube changes its markup, this is the file that changes.

/** The watch page's root element; its `video-id` attribute says which video the DOM shows. */
export const WATCH_FLEXY = 'ytd-watch-flexy';

export function watchFlexyFor(videoId: string): string {
  return `${WATCH_FLEXY}[video-id="${CSS.escape(videoId)}"]`;
}

/** Attributes of ytd-watch-flexy that move the columns around. */
export const LAYOUT_ATTRIBUTES = ['theater', 'fullscreen', 'is-two-columns_', 'hidden'];

/** The right-hand column; there may be several, only one is displayed. */
export const SECONDARY_INNER = `${WATCH_FLEXY} #secondary-inner`;

/** One-column layouts: the metadata under the player, where the panel goes after. */
export const BELOW_METADATA = `${WATCH_FLEXY} #below ytd-watch-metadata`;
export const BELOW = `${WATCH_FLEXY} #below`;

/** YouTube marks its dark theme with a `dark` attribute on <html>. */
export const DARK_THEME_ATTRIBUTE = 'dark';

/** YouTube's own SPA navigation events, dispatched on document. */
export const NAVIGATE_FINISH_EVENTS = ['yt-navigate-finish', 'state-navigateend'];
