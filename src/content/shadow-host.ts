// What every element ArchiveLens puts on YouTube's page shares: an element
// with a closed shadow root (the page's CSS cannot reach in, ours cannot leak
// out, and the page's scripts cannot read the archived posts or press our
// buttons through `element.shadowRoot`), its own styles, and YouTube's light
// or dark theme.
import themeCss from '../ui/theme.css?inline';
import { observe } from './dom';
import { DARK_THEME_ATTRIBUTE } from './selectors';

/** Stop fighting for the spot if something keeps moving us (another extension). */
const MAX_PLACEMENTS = 50;

export class ShadowHost {
  readonly element: HTMLElement;
  /** The closed shadow root: only this script holds it. */
  readonly root: ShadowRoot;
  /** Where Preact renders. */
  protected readonly container: HTMLElement;
  private watched: { parent: Element; controller: AbortController } | null = null;
  private placements = 0;

  constructor(tag: string, css: string) {
    this.element = document.createElement(tag);
    this.root = this.element.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `${themeCss}\n${css}`;
    this.container = document.createElement('div');
    this.root.append(style, this.container);
  }

  /** Follows YouTube's theme (the `dark` attribute on <html>) until `signal` aborts. */
  protected followTheme(signal: AbortSignal): void {
    const apply = () => {
      this.element.dataset.theme = document.documentElement.hasAttribute(DARK_THEME_ATTRIBUTE) ? 'dark' : 'light';
    };
    apply();
    observe(document.documentElement, { attributes: true, attributeFilter: [DARK_THEME_ATTRIBUTE] }, apply, signal);
  }

  /**
   * Puts the element where `putInPlace` puts it (returning the spot's parent),
   * and back there when YouTube re-renders that spot without it, watching only
   * the spot's own children, until `signal` aborts. Call again when the
   * layout may have moved the best spot.
   */
  protected place(putInPlace: () => Element | null, signal: AbortSignal): void {
    if (signal.aborted) return;
    const parent = putInPlace();
    if (!parent || this.watched?.parent === parent) return;
    this.watched?.controller.abort();
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    this.watched = { parent, controller };
    observe(parent, { childList: true }, () => {
      if (this.element.parentElement === parent || this.placements++ >= MAX_PLACEMENTS) return;
      this.place(putInPlace, signal);
    }, controller.signal);
  }

  /** A new video: a new count of placements, no spot watched. */
  protected resetPlacement(): void {
    this.watched?.controller.abort();
    this.watched = null;
    this.placements = 0;
  }
}
