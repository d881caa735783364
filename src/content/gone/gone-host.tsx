// The view of a gone video: a custom element with a shadow root, put where
// the player would be (first in the primary column), before the promo screen
// of a deleted video, or first in the page; put back if YouTube re-renders
// its spot, and themed like the page. One per tab, like the panel.
import { render } from 'preact';
import goneCss from './gone.css?inline';
import { GoneView, type GoneState } from './GoneView';
import { TextActionsContext, type TextActions } from '../../ui/RichText';
import { isDisplayed, observe } from '../dom';
import { DELETED_PROMO, PAGE_MANAGER, PRIMARY_INNER } from '../selectors';
import { ShadowHost } from '../shadow-host';

export const GONE_TAG = 'archivelens-gone';

/** Stop fighting for the spot if something keeps moving us. */
const MAX_PLACEMENTS = 50;

export class GoneHost extends ShadowHost {
  private placements = 0;
  private watched: AbortController | null = null;

  /** `actions`: what hashtags and links do; nothing seeks, YouTube plays nothing here. */
  constructor(private readonly actions: TextActions = {}) {
    super(GONE_TAG, goneCss);
  }

  attach(signal: AbortSignal): void {
    this.placements = 0;
    this.followTheme(signal);
    this.place(signal);
    signal.addEventListener('abort', () => this.detach(), { once: true });
  }

  update(state: GoneState): void {
    // key: another video starts with its newest version chosen.
    render(
      <TextActionsContext.Provider value={{ ...this.actions, playing: null }}>
        <GoneView key={state.videoId} state={state} />
      </TextActionsContext.Provider>,
      this.container,
    );
  }

  detach(): void {
    this.watched?.abort();
    this.watched = null;
    render(null, this.container);
    this.element.remove();
  }


  private place(signal: AbortSignal): void {
    if (signal.aborted) return;
    const parent = this.putInPlace();
    if (!parent) return;
    this.watched?.abort();
    const controller = new AbortController();
    signal.addEventListener('abort', () => controller.abort(), { once: true });
    this.watched = controller;
    // Only the spot's own children: if YouTube re-renders it and drops the view, put it back.
    observe(parent, { childList: true }, () => {
      if (this.element.parentElement === parent || this.placements++ >= MAX_PLACEMENTS) return;
      this.place(signal);
    }, controller.signal);
  }

  private putInPlace(): Element | null {
    const primary = [...document.querySelectorAll(PRIMARY_INNER)].find(isDisplayed);
    if (primary) {
      if (primary.firstElementChild !== this.element) primary.prepend(this.element);
      return primary;
    }
    const promo = document.querySelector(DELETED_PROMO);
    if (promo?.parentElement) {
      if (promo.previousElementSibling !== this.element) promo.before(this.element);
      return promo.parentElement;
    }
    const page = document.querySelector(PAGE_MANAGER) ?? document.body;
    if (page.firstElementChild !== this.element) page.prepend(this.element);
    return page;
  }
}
