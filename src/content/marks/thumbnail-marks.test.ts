// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { videoOfLink } from './thumbnail-marks';

const link = (html: string) => {
  document.body.innerHTML = html;
  return document.body.firstElementChild!;
};

describe('the video of a thumbnail', () => {
  it('comes from the link: watch pages (with a playlist), Shorts, and the image when the link has none', () => {
    expect(videoOfLink(link('<a id="thumbnail" href="/watch?v=-VWLP6-06Jc&list=PLx&index=3"></a>'))).toBe('-VWLP6-06Jc');
    expect(videoOfLink(link('<a class="reel-item-endpoint" href="/shorts/BSSQTncuZ04"></a>'))).toBe('BSSQTncuZ04');
    expect(videoOfLink(link('<a id="thumbnail" href="/channel/UC123"><img src="https://i.ytimg.com/vi/Sd1BfeB72bI/hqdefault.jpg"></a>'))).toBe('Sd1BfeB72bI');
    expect(videoOfLink(link('<a id="thumbnail" href="/playlist?list=PLx"></a>'))).toBeNull();
  });
});
