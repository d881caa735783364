// Marks archived videos wherever YouTube shows a thumbnail: feeds, search,
// channel pages, related videos, playlists, Shorts shelves, m.youtube.com.
// Cheap by design: one observer on the thumbnails' subtree collects new and
// recycled links; one IntersectionObserver lets only thumbnails on screen do
// any work; the membership set answers "not archived" with no message; the
// ids that may be archived are asked about in one message per frame.
import { membershipOf } from '../../core/membership';
import { videoIdFromUrl } from '../../core/youtube';
import type { VideoMark } from '../../shared/messages';
import { ask } from '../../shared/client';
import { PLAYLIST_ENTRY, PLAYLIST_ENTRY_CHANNEL, PLAYLIST_ENTRY_TITLE, THUMBNAIL_LINKS, THUMBNAILS_ROOT } from '../selectors';
import { markElement, titleElement } from './mark-elements';
import { pageNames } from '../page-names';

/** Mutations come in bursts while a grid renders: collect, then look at most this often. */
const SCAN_EVERY_MS = 50;
/** Answers kept for videos seen again (a long session of feeds); forgotten all at once beyond this. */
const KNOWN_LIMIT = 10_000;

interface Marked {
  videoId: string | null;
  mark: HTMLElement | null;
  /** A deleted playlist entry's archived title, and YouTube's title it stands in for. */
  title: { element: HTMLElement; hidden: HTMLElement } | null;
}

/** A thumbnail link's video: from its href, or from its image (`/vi/ID/`). */
export function videoOfLink(link: Element): string | null {
  const href = link.getAttribute('href');
  // Relative links are YouTube's own (www. and m. hold the same ids).
  let fromHref: string | null = null;
  try {
    fromHref = href ? videoIdFromUrl(new URL(href, 'https://www.youtube.com/')) : null;
  } catch {
    fromHref = null;
  }
  if (fromHref) return fromHref;
  const src = link.querySelector('img')?.getAttribute('src') ?? '';
  return /\/vi(?:_webp)?\/([\w-]{11})\//.exec(src)?.[1] ?? null;
}

export class ThumbnailMarks {
  private membership: { mayHold(key: string): boolean } | null = null;
  private version: string | undefined;
  private readonly state = new WeakMap<Element, Marked>();
  private readonly known = new Map<string, VideoMark | null>();
  private readonly waiting = new Map<string, Set<Element>>();
  private readonly onScreen = new WeakSet<Element>();
  private added: Node[] = [];
  private scanTimer: ReturnType<typeof setTimeout> | null = null;
  private frame: number | null = null;
  private io: IntersectionObserver | null = null;

  /** Starts marking; everything it made ends with `signal`. */
  async start(signal: AbortSignal): Promise<void> {
    await this.refresh();
    if (signal.aborted || !this.membership) return;
    const root = document.querySelector(THUMBNAILS_ROOT) ?? document.body;
    this.io = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          this.onScreen.add(entry.target);
          this.check(entry.target);
        } else {
          this.onScreen.delete(entry.target);
        }
      }
    }, { rootMargin: '200px' });
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') this.recycled(record.target as Element);
        else for (const node of record.addedNodes) if (node.nodeType === Node.ELEMENT_NODE) this.added.push(node);
      }
      this.scheduleScan();
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['href'] });
    signal.addEventListener('abort', () => {
      observer.disconnect();
      this.io?.disconnect();
      if (this.scanTimer) clearTimeout(this.scanTimer);
      if (this.frame !== null) cancelAnimationFrame(this.frame);
      for (const element of document.querySelectorAll(`${pageNames.mark}, ${pageNames.title}`)) element.remove();
      for (const hidden of document.querySelectorAll<HTMLElement>(`[${pageNames.hidden}]`)) {
        hidden.hidden = false;
        hidden.removeAttribute(pageNames.hidden);
      }
    }, { once: true });
    this.added.push(root);
    this.scan();
  }

  /** Takes the archive's current set (after a sync, say); a no-op when it has not changed. */
  async refresh(): Promise<void> {
    try {
      const answer = await ask('membership', this.version ? { version: this.version } : {});
      if (answer.set) {
        this.membership = membershipOf(answer.set);
        this.known.clear();
      }
      this.version = answer.version;
    } catch {
      // No marks this time; the panel still works.
    }
  }

  private scheduleScan(): void {
    if (this.scanTimer !== null) return;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = null;
      this.scan();
    }, SCAN_EVERY_MS);
  }

  /** New links go to the IntersectionObserver; nothing else happens until they are on screen. */
  private scan(): void {
    const added = this.added;
    this.added = [];
    for (const node of added) {
      if (!(node instanceof Element) || !node.isConnected) continue;
      if (node.matches(THUMBNAIL_LINKS)) this.watch(node);
      for (const link of node.querySelectorAll(THUMBNAIL_LINKS)) this.watch(link);
    }
  }

  private watch(link: Element): void {
    if (this.state.has(link)) return;
    this.state.set(link, { videoId: null, mark: null, title: null });
    this.io?.observe(link);
  }

  /** YouTube reuses a renderer for another video: its link's href changes. */
  private recycled(target: Element): void {
    if (!this.state.has(target)) return;
    if (this.onScreen.has(target)) this.check(target);
  }

  /** A link on screen: is its current video archived? */
  private check(link: Element): void {
    const marked = this.state.get(link);
    if (!marked) return;
    const videoId = videoOfLink(link);
    if (marked.videoId === videoId && (marked.mark || !videoId || this.known.has(videoId))) return;
    this.clear(marked);
    marked.videoId = videoId;
    if (!videoId || !this.membership?.mayHold(videoId)) return;
    const mark = this.known.get(videoId);
    if (mark !== undefined) {
      if (mark) this.apply(link, marked, mark);
      return;
    }
    const links = this.waiting.get(videoId) ?? new Set();
    links.add(link);
    this.waiting.set(videoId, links);
    this.frame ??= requestAnimationFrame(() => void this.flush());
  }

  /** One message for every id that came on screen in this frame. */
  private async flush(): Promise<void> {
    this.frame = null;
    const waiting = new Map(this.waiting);
    this.waiting.clear();
    const ids = [...waiting.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      const batch = ids.slice(i, i + 200);
      let marks: VideoMark[];
      try {
        marks = await ask('marks', { videoIds: batch });
      } catch {
        continue;
      }
      const byId = new Map(marks.map((m) => [m.videoId, m]));
      if (this.known.size > KNOWN_LIMIT) this.known.clear();
      for (const id of batch) {
        const mark = byId.get(id) ?? null; // null: the set's rare false "maybe"
        this.known.set(id, mark);
        if (!mark) continue;
        for (const link of waiting.get(id) ?? []) {
          const marked = this.state.get(link);
          // Still showing that video (YouTube may have recycled it meanwhile).
          if (marked && marked.videoId === id && videoOfLink(link) === id) this.apply(link, marked, mark);
        }
      }
    }
  }

  private apply(link: Element, marked: Marked, mark: VideoMark): void {
    marked.mark = markElement(mark);
    link.append(marked.mark);
    const entry = link.closest(PLAYLIST_ENTRY);
    const title = entry?.querySelector<HTMLElement>(PLAYLIST_ENTRY_TITLE);
    // A deleted or private entry keeps its link but shows no channel: it gets the archived title.
    if (entry && title && !entry.querySelector(PLAYLIST_ENTRY_CHANNEL)?.textContent?.trim()) {
      const element = titleElement(mark);
      title.before(element);
      title.hidden = true;
      title.setAttribute(pageNames.hidden, '');
      marked.title = { element, hidden: title };
    }
  }

  private clear(marked: Marked): void {
    marked.mark?.remove();
    marked.mark = null;
    if (marked.title) {
      marked.title.element.remove();
      marked.title.hidden.hidden = false;
      marked.title.hidden.removeAttribute(pageNames.hidden);
      marked.title = null;
    }
  }
}
