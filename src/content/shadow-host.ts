// What every element ArchiveLens puts on YouTube's page shares: a custom
// element with an open shadow root (the page's CSS cannot reach in, ours
// cannot leak out), its own styles, and YouTube's light or dark theme.
import themeCss from '../ui/theme.css?inline';
import { observe } from './dom';
import { DARK_THEME_ATTRIBUTE } from './selectors';

export class ShadowHost {
  readonly element: HTMLElement;
  /** Where Preact renders. */
  protected readonly container: HTMLElement;

  constructor(tag: string, css: string) {
    this.element = document.createElement(tag);
    const shadow = this.element.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = `${themeCss}\n${css}`;
    this.container = document.createElement('div');
    shadow.append(style, this.container);
  }

  /** Follows YouTube's theme (the `dark` attribute on <html>) until `signal` aborts. */
  protected followTheme(signal: AbortSignal): void {
    const apply = () => {
      this.element.dataset.theme = document.documentElement.hasAttribute(DARK_THEME_ATTRIBUTE) ? 'dark' : 'light';
    };
    apply();
    observe(document.documentElement, { attributes: true, attributeFilter: [DARK_THEME_ATTRIBUTE] }, apply, signal);
  }
}
