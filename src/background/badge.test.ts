import { describe, expect, it } from 'vitest';
import browser from 'webextension-polyfill';
import { asVideoId } from '../core/youtube';
import { countFor, tabNavigated } from './badge';

const badges = (browser.action as unknown as { badges: Map<number, string> }).badges;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const id = (value: string) => asVideoId(value)!;

describe('the toolbar badge', () => {
  it("never keeps the previous video's count on a Short", async () => {
    tabNavigated(1, 'https://www.youtube.com/watch?v=-VWLP6-06Jc');
    countFor({ id: 1 }, id('-VWLP6-06Jc'), 2);
    await settle();
    expect(badges.get(1)).toBe('2');
    tabNavigated(1, 'https://www.youtube.com/shorts/GorsYGIeIK4');
    await settle();
    expect(badges.get(1)).toBe('');
    countFor({ id: 1 }, id('GorsYGIeIK4'), 1);
    await settle();
    expect(badges.get(1)).toBe('1');
  });

  it('ignores a late answer for the video the tab showed before', async () => {
    tabNavigated(2, 'https://www.youtube.com/watch?v=-VWLP6-06Jc');
    tabNavigated(2, 'https://www.youtube.com/watch?v=GorsYGIeIK4');
    countFor({ id: 2 }, id('-VWLP6-06Jc'), 3); // the first video's lookup answers late
    await settle();
    expect(badges.get(2)).toBe('');
    tabNavigated(2, 'https://www.youtube.com/feed/subscriptions');
    countFor({ id: 2 }, id('GorsYGIeIK4'), 1);
    await settle();
    expect(badges.get(2)).toBe('');
  });

  it('after a worker restart, trusts the URL the asking tab shows', async () => {
    countFor({ id: 3, url: 'https://www.youtube.com/watch?v=GorsYGIeIK4' }, id('-VWLP6-06Jc'), 4);
    countFor({ id: 3, url: 'https://www.youtube.com/watch?v=GorsYGIeIK4' }, id('GorsYGIeIK4'), 1);
    await settle();
    expect(badges.get(3)).toBe('1');
  });
});
