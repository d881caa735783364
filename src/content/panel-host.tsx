// The one panel of a tab: a custom element with a shadow root, placed as the
// first child of the visible `#secondary-inner` (or under the video's
// metadata in one-column layouts and on m.youtube.com), re-placed when
// YouTube moves or removes it.
import { render } from 'preact';
import panelCss from './panel/panel.css?inline';
import { Panel, type PanelState } from './panel/Panel';
import { TextActionsContext, type TextActions } from '../ui/RichText';
import { isDisplayed, observe } from './dom';
import { BELOW, BELOW_METADATA, LAYOUT_ATTRIBUTES, MOBILE_METADATA, SECONDARY_INNER, WATCH_FLEXY } from './selectors';
import { ShadowHost } from './shadow-host';

export const PANEL_TAG = 'archivelens-panel';

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
    super(PANEL_TAG, panelCss);
  }

  /** Places the panel for a new video and keeps it placed and themed until `signal` aborts. */
  attach(videoSignal: AbortSignal): void {
    this.attached?.abort();
    const attached = new AbortController();
    videoSignal.addEventListener('abort', () => attached.abort(), { once: true });
    this.attached = attached;
    const signal = attached.signal;
    this.resetPlacement();
    this.followTheme(signal);
    const place = () => this.place(() => this.putInPlace(), signal);
    const flexy = document.querySelector(WATCH_FLEXY);
    if (flexy) observe(flexy, { attributes: true, attributeFilter: LAYOUT_ATTRIBUTES }, place, signal);
    place();
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


  /** Moves the panel to the best anchor on the page; returns that anchor. */
  private putInPlace(): Element | null {
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
