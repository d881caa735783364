// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { domSaysGone } from './gone-watch';
import { isGoneStatus } from './page-bridge';

afterEach(() => document.body.replaceChildren());

/** A watch page as YouTube shows it, with `inside` in its player area. */
function page(attributes: string, inside = '') {
  document.body.innerHTML = `<ytd-page-manager><ytd-watch-flexy ${attributes}><div id="primary-inner"><div id="player"></div>${inside}</div></ytd-watch-flexy></ytd-page-manager>`;
}

describe('telling a gone video from the page', () => {
  it('reads YouTube\'s playability status: errors, private and blocked videos are gone; an age gate, a premiere and OK are not', () => {
    const s = (status: string | null, ageGate = false) => ({ videoId: 'x', status, ageGate });
    expect(isGoneStatus(s('ERROR'))).toBe(true);
    expect(isGoneStatus(s('UNPLAYABLE'))).toBe(true);
    expect(isGoneStatus(s('LOGIN_REQUIRED'))).toBe(true);
    expect(isGoneStatus(s('LOGIN_REQUIRED', true))).toBe(false);
    expect(isGoneStatus(s('LIVE_STREAM_OFFLINE'))).toBe(false);
    expect(isGoneStatus(s('OK'))).toBe(false);
    expect(isGoneStatus(s(null))).toBe(false);
    expect(isGoneStatus(null)).toBe(false);
  });

  it('falls back to the error screen of this video, but not to the ad-block wall or a stale page', () => {
    const screen = '<yt-playability-error-supported-renderers id="error-screen"><yt-player-error-message-renderer><div id="reason">Video unavailable</div></yt-player-error-message-renderer></yt-playability-error-supported-renderers>';
    page('video-id="abcdefghijk" player-unavailable', screen);
    expect(domSaysGone('abcdefghijk')).toBe(true);
    // The previous video's error page, before YouTube shows the next one.
    expect(domSaysGone('bcdefghijkl')).toBe(false);
    page('video-id="abcdefghijk" player-unavailable', '<yt-playability-error-supported-renderers id="error-screen"><ytd-enforcement-message-view-model>Ad blockers…</ytd-enforcement-message-view-model></yt-playability-error-supported-renderers>');
    expect(domSaysGone('abcdefghijk')).toBe(false);
    page('video-id="abcdefghijk"');
    expect(domSaysGone('abcdefghijk')).toBe(false);
  });

  it('recognises the promo screen of a deleted video, which has no video-id', () => {
    document.body.innerHTML = '<ytd-page-manager><ytd-watch-flexy hidden></ytd-watch-flexy><ytd-background-promo-renderer><div class="promo-title">This video isn\'t available anymore</div></ytd-background-promo-renderer></ytd-page-manager>';
    expect(domSaysGone('abcdefghijk')).toBe(true);
  });
});
