// The view of a gone video: a custom element with a shadow root, put where
// the player would be (first in the primary column), before the promo screen
// of a deleted video, or first in the page; put back if YouTube re-renders
// its spot, and themed like the page. One per tab, like the panel.
import { render } from 'preact';
import goneCss from './gone.css?inline';
import { GoneView, type GoneState } from './GoneView';
import { TextActionsContext, type TextActions } from '../../ui/RichText';
import { isDisplayed } from '../dom';
import { DELETED_PROMO, PAGE_MANAGER, PRIMARY_INNER } from '../selectors';
import { ShadowHost } from '../shadow-host';
import { pageNames } from '../page-names';


export class GoneHost extends ShadowHost {
  /** `actions`: what hashtags and links do; nothing seeks, YouTube plays nothing here. */
  constructor(private readonly actions: TextActions = {}) {
    super(pageNames.gone, goneCss);
  }

  attach(signal: AbortSignal): void {
    this.resetPlacement();
    this.followTheme(signal);
    this.place(() => this.putInPlace(), signal);
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
    this.resetPlacement();
    render(null, this.container);
    this.element.remove();
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
