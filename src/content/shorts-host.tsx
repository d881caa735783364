// The archive on a Short: a compact panel over the active Short (collapsed to
// one line; opens to the archived post). Shorts preload their neighbours, so
// the panel follows the playing reel (active-short.ts) and its content is
// keyed on the URL's id: after a swipe it never shows the previous Short's post.
import { render } from 'preact';
import panelCss from './panel/panel.css?inline';
import { Panel, type PanelState } from './panel/Panel';
import { TextActionsContext, type TextActions } from '../ui/RichText';
import { observe } from './dom';
import { activeShort } from './active-short';
import { SHORT_ACTIVE_ATTRIBUTE, SHORTS_ROOT } from './selectors';
import { ShadowHost } from './shadow-host';
import { pageNames } from './page-names';


const SHORT_CSS = `
:host { position: absolute; top: 12px; left: 12px; right: 12px; z-index: 10; margin: 0; max-width: 360px; }
.al-panel { background: var(--al-bg); box-shadow: 0 2px 12px rgba(0, 0, 0, 0.3); }
.al-content { max-height: 50vh; }
`;

export class ShortsHost extends ShadowHost {
  private attached: AbortController | null = null;
  private state: PanelState | null = null;
  private collapsed = true;

  constructor(private readonly actions: TextActions = {}) {
    super(pageNames.short, `${panelCss}\n${SHORT_CSS}`);
  }

  /** Shows `state` over the active Short until `signal` aborts (the next Short, or another page). */
  show(state: PanelState, signal: AbortSignal): void {
    if (!this.attached || this.attached.signal.aborted) {
      const attached = new AbortController();
      signal.addEventListener('abort', () => this.detach(), { once: true, signal: attached.signal });
      this.attached = attached;
      this.collapsed = true;
      this.followTheme(attached.signal);
      // The playing reel changes when the player moves, a reel is marked, or the reels scroll.
      let frame = 0;
      const follow = () => {
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          this.onActiveShort();
        });
      };
      attached.signal.addEventListener('abort', () => cancelAnimationFrame(frame), { once: true });
      const shorts = document.querySelector(SHORTS_ROOT);
      if (shorts) {
        observe(shorts, { childList: true, attributes: true, subtree: true, attributeFilter: [SHORT_ACTIVE_ATTRIBUTE] }, follow, attached.signal);
        shorts.addEventListener('scroll', follow, { capture: true, passive: true, signal: attached.signal });
      }
    }
    this.state = state;
    this.onActiveShort();
    this.draw();
  }

  detach(): void {
    this.attached?.abort();
    this.attached = null;
    this.state = null;
    render(null, this.container);
    this.element.remove();
  }

  private onActiveShort(): void {
    if (!this.state) return;
    const active = activeShort(this.state.videoId);
    if (active && this.element.parentElement !== active) active.append(this.element);
  }

  private draw(): void {
    if (!this.state) return;
    render(
      <TextActionsContext.Provider value={{ ...this.actions, playing: this.state.videoId }}>
        <Panel state={this.state} collapsed={this.collapsed} onCollapsedChange={(collapsed) => {
          this.collapsed = collapsed;
          this.draw();
        }} />
      </TextActionsContext.Provider>,
      this.container,
    );
  }

}
