// The names ArchiveLens's elements, attributes and events carry on YouTube's
// page. Fixed names (`archivelens-panel`, `archivelens:takeover`) would let
// every page tell that the extension is installed and find its elements; so
// they all derive from a secret made once per install (kept in
// storage.local, which pages cannot read), the same for every content script
// of this install, so an updated script still finds what an older one left.
import browser from 'webextension-polyfill';

const SECRET_KEY = 'pageSecret';
/** A tag's first part: a letter, then letters and digits (valid in element, attribute and event names). */
const SECRET = /^[a-z][a-z0-9]{5,31}$/;

function makeSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = [...bytes].map((b) => (b % 36).toString(36));
  return String.fromCharCode(97 + (bytes[0]! % 26)) + chars.slice(1).join('');
}

export interface PageNames {
  panel: string;
  gone: string;
  short: string;
  mark: string;
  title: string;
  /** The attribute on YouTube's own elements ArchiveLens hid (to show them again). */
  hidden: string;
  /** The event an updated content script sends to retire the old one. */
  takeover: string;
}

function namesOf(secret: string): PageNames {
  return {
    panel: `${secret}-panel`,
    gone: `${secret}-gone`,
    short: `${secret}-short`,
    mark: `${secret}-mark`,
    title: `${secret}-title`,
    hidden: `data-${secret}-hidden`,
    takeover: `${secret}:takeover`,
  };
}

/** The names in use: random until `loadPageNames` reads the install's own (unit tests use these). */
export const pageNames: PageNames = namesOf(makeSecret());

/** Reads (or makes, once per install) the secret, and names everything after it. */
export async function loadPageNames(): Promise<PageNames> {
  const stored = (await browser.storage.local.get(SECRET_KEY))[SECRET_KEY];
  let secret = typeof stored === 'string' && SECRET.test(stored) ? stored : null;
  if (!secret) {
    secret = makeSecret();
    await browser.storage.local.set({ [SECRET_KEY]: secret });
  }
  return Object.assign(pageNames, namesOf(secret));
}

/** Every element of ours on the page, of this install's names. */
export function ourElements(): string {
  return [pageNames.panel, pageNames.gone, pageNames.short, pageNames.mark, pageNames.title].join(', ');
}
