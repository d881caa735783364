// The one panel of a tab: a custom element with a shadow root, placed as the
// first child of the visible `#secondary-inner` (or under the video's
// metadata in one-column layouts), re-placed when YouTube moves or removes it.
import { render } from 'preact';
import themeCss from '../ui/theme.css?inline';
import panelCss from './panel/panel.css?inline';
import { Panel, type PanelState } from './panel/Panel';
import { isDisplayed, observe } from './dom';
import { BELOW, BELOW_METADATA, DARK_THEME_ATTRIBUTE, LAYOUT_ATTRIBUTES, SECONDARY_INNER, WATCH_FLEXY } from './selectors';

export const PANEL_TAG = 'archivelens-panel';

/** Stop fighting for the spot if something keeps moving us (another extension). */
const MAX_PLACEMENTS_PER_VIDEO = 50;

export class PanelHost {
  readonly element: HTMLElement;
  private readonly container: HTMLElement;
  private state: PanelState | null = null;
  private placements = 0;

  constructor(
    private collapsed: boolean,
    private readonly onCollapsedChange: (collapsed: boolean) => void,
  ) {
    this.element = document.createElement(PANEL_TAG);
    const shadow = this.element.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = `${themeCss}\n${panelCss}`;
    this.container = document.createElement('div');
    shadow.append(style, this.container);
  }

  /** Places the panel for a new video and keeps it placed and themed until `signal` aborts. */
  attach(signal: AbortSignal): void {
    this.placements = 0;
    this.applyTheme();
    observe(document.documentElement, { attributes: true, attributeFilter: [DARK_THEME_ATTRIBUTE] }, () => this.applyTheme(), signal);
    const flexy = document.querySelector(WATCH_FLEXY);
    if (flexy) observe(flexy, { attributes: true, attributeFilter: LAYOUT_ATTRIBUTES }, () => this.place(signal), signal);
    this.place(signal);
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.draw();
  }

  update(state: PanelState): void {
    this.state = state;
    this.draw();
  }

  detach(): void {
    this.state = null;
    render(null, this.container);
    this.element.remove();
  }

  private draw(): void {
    if (!this.state) return;
    render(
      <Panel
        state={this.state}
        collapsed={this.collapsed}
        onCollapsedChange={(collapsed) => {
          this.collapsed = collapsed;
          this.onCollapsedChange(collapsed);
          this.draw();
        }}
      />,
      this.container,
    );
  }

  private applyTheme(): void {
    this.element.dataset.theme = document.documentElement.hasAttribute(DARK_THEME_ATTRIBUTE) ? 'dark' : 'light';
  }

  private place(signal: AbortSignal): void {
    if (signal.aborted || this.placements >= MAX_PLACEMENTS_PER_VIDEO) return;
    const secondary = [...document.querySelectorAll(SECONDARY_INNER)].find(isDisplayed);
    const metadata = document.querySelector(BELOW_METADATA);
    const below = document.querySelector(BELOW);
    let parent: Element | null = null;
    if (secondary) {
      parent = secondary;
      if (secondary.firstElementChild !== this.element) secondary.prepend(this.element);
      else return;
    } else if (metadata?.parentElement) {
      parent = metadata.parentElement;
      if (metadata.nextElementSibling !== this.element) metadata.after(this.element);
      else return;
    } else if (below) {
      parent = below;
      if (below.firstElementChild !== this.element) below.prepend(this.element);
      else return;
    }
    if (!parent) return;
    this.placements++;
    // Watch only the anchor's own children: if YouTube re-renders it and
    // drops the panel, put it back. The observer ends with the video.
    const local = new AbortController();
    signal.addEventListener('abort', () => local.abort(), { once: true });
    observe(parent, { childList: true }, () => {
      if (!this.element.isConnected || this.element.parentElement !== parent) {
        local.abort();
        this.place(signal);
      }
    }, local.signal);
  }
}
