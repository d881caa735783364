// The one panel of a tab: a custom element with a shadow root, placed as the
// first child of the visible `#secondary-inner` (or under the video's
// metadata in one-column layouts and on m.youtube.com), re-placed when
// YouTube moves or removes it, or the window crosses the two-column
// breakpoint. When YouTube changes its page so that none of those spots can
// be found, the panel floats over the page as a chip instead of showing nothing.
import { render } from 'preact';
import panelCss from './panel/panel.css?inline';
import { Panel, type PanelState } from './panel/Panel';
import { TextActionsContext, type TextActions } from '../ui/RichText';
import { isDisplayed, observe } from './dom';
import { BELOW, BELOW_METADATA, LAYOUT_ATTRIBUTES, LIVE_WATCH_FLEXY, MOBILE_METADATA, SECONDARY_INNER, WATCH_FLEXY } from './selectors';
import { ShadowHost } from './shadow-host';
import { pageNames } from './page-names';


/** How long a watch page may lack every spot the panel knows before it floats instead. */
export const ANCHOR_WAIT_MS = 5_000;

const FLOATING_CSS = `
:host([data-floating]) {
  position: fixed; right: 16px; bottom: 16px; z-index: 2200; margin: 0;
  width: 360px; max-width: calc(100vw - 32px);
}
:host([data-floating]) .al-panel { background: var(--al-bg); box-shadow: 0 2px 12px rgba(0, 0, 0, 0.3); }
:host([data-floating]) .al-content { max-height: 50vh; }
`;

export class PanelHost extends ShadowHost {
  private state: PanelState | null = null;
  /** Ends what keeps the panel placed and themed: at the video's end, or when the panel is taken away. */
  private attached: AbortController | null = null;

  constructor(
    private collapsed: boolean,
    private readonly onCollapsedChange: (collapsed: boolean) => void,
    /** What times and hashtags in the posts do (seek this video, search the archive). */
    private readonly actions: TextActions = {},
  ) {
    super(pageNames.panel, `${panelCss}\n${FLOATING_CSS}`);
  }

  /** Whether the panel floats because the page has none of the spots it knows. */
  get floating(): boolean {
    return this.element.hasAttribute('data-floating');
  }

  /**
   * Places the panel for a new video and keeps it placed and themed until
   * `signal` aborts. Where the page has no spot for it within ANCHOR_WAIT_MS
   * (at once with `floatNow`: the caller has waited already), it floats.
   */
  attach(videoSignal: AbortSignal, floatNow = false): void {
    this.attached?.abort();
    const attached = new AbortController();
    videoSignal.addEventListener('abort', () => attached.abort(), { once: true });
    this.attached = attached;
    const signal = attached.signal;
    this.resetPlacement();
    this.followTheme(signal);
    const place = () => this.place(() => this.putInPlace(), signal);
    const flexy = document.querySelector(LIVE_WATCH_FLEXY) ?? document.querySelector(WATCH_FLEXY);
    if (flexy) observe(flexy, { attributes: true, attributeFilter: LAYOUT_ATTRIBUTES }, place, signal);
    // The columns move with the window's width (#related goes under the video), attributes or not.
    let resized: ReturnType<typeof setTimeout> | null = null;
    window.addEventListener('resize', () => {
      resized ??= setTimeout(() => {
        resized = null;
        place();
      }, 100);
    }, { signal, passive: true });
    signal.addEventListener('abort', () => resized && clearTimeout(resized), { once: true });
    place();
    if (this.anchor()) return;
    const float = () => {
      if (signal.aborted || this.anchor()) return;
      this.element.setAttribute('data-floating', '');
      document.body.append(this.element);
    };
    if (floatNow) float();
    else {
      const timer = setTimeout(float, ANCHOR_WAIT_MS);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.draw();
  }

  /** The keyboard shortcut: shows or hides the posts, as the panel's own button does. */
  toggleCollapsed(): void {
    if (!this.state) return;
    this.collapsed = !this.collapsed;
    this.onCollapsedChange(this.collapsed);
    this.draw();
  }

  update(state: PanelState): void {
    this.state = state;
    this.draw();
  }

  detach(): void {
    this.attached?.abort();
    this.attached = null;
    this.element.removeAttribute('data-floating');
    this.resetPlacement();
    this.state = null;
    render(null, this.container);
    this.element.remove();
  }

  private draw(): void {
    if (!this.state) return;
    render(
      <TextActionsContext.Provider value={{ ...this.actions, playing: this.state.videoId }}>
        <Panel
          state={this.state}
          collapsed={this.collapsed}
          onCollapsedChange={(collapsed) => {
            this.collapsed = collapsed;
            this.onCollapsedChange(collapsed);
            this.draw();
          }}
        />
      </TextActionsContext.Provider>,
      this.container,
    );
  }


  /** Moves the panel to the best anchor on the page (it floats no more); returns that anchor. */
  private putInPlace(): Element | null {
    const anchor = this.anchor();
    if (anchor) this.element.removeAttribute('data-floating');
    return anchor;
  }

  private anchor(): Element | null {
    const secondary = [...document.querySelectorAll(SECONDARY_INNER)].find(isDisplayed);
    if (secondary) {
      if (secondary.firstElementChild !== this.element) secondary.prepend(this.element);
      return secondary;
    }
    const metadata = document.querySelector(BELOW_METADATA);
    if (metadata?.parentElement) {
      if (metadata.nextElementSibling !== this.element) metadata.after(this.element);
      return metadata.parentElement;
    }
    const below = document.querySelector(BELOW);
    if (below) {
      if (below.firstElementChild !== this.element) below.prepend(this.element);
      return below;
    }
    // m.youtube.com: under the video's metadata.
    const mobile = document.querySelector(MOBILE_METADATA);
    if (mobile?.parentElement) {
      if (mobile.nextElementSibling !== this.element) mobile.after(this.element);
      return mobile.parentElement;
    }
    return null;
  }
}
