// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { preactRoot } from '../../test/support/preact-root';
import { describe, expect, it, vi } from 'vitest';
import { seedText } from '../../test/support/archives';
import { viewOf } from '../../test/support/posts';
import { PostCard } from './PostCard';
import { postAsText } from './post-text';
import { RichText, TextActionsContext, type TextActions } from './RichText';

const mounted = preactRoot();

const TEXT = '走访了一圈。0:00 开头1:17 文化广场 https://bit.ly/3gozLAy赏我杯咖啡 https://youtu.be/-VWLP6-06Jc javascript:alert(1) #上海疫情#上海';
const show = (actions: TextActions, videoId: string | null = 'ak5OpyQki0w') =>
  act(() => render(<TextActionsContext.Provider value={actions}><p><RichText text={TEXT} videoId={videoId} /></p></TextActionsContext.Provider>, mounted.current));

describe('an archived description a reader can act on', () => {
  it('seeks the video being played from its times, and searches the archive from its hashtags', () => {
    const seek = vi.fn();
    const hashtag = vi.fn();
    show({ playing: 'ak5OpyQki0w', seek, hashtag, youtubeInPlace: true });
    const times = [...mounted.current.querySelectorAll<HTMLButtonElement>('.al-time')];
    expect(times.map((b) => b.textContent)).toEqual(['0:00', '1:17']);
    act(() => times[1]!.click());
    expect(seek).toHaveBeenCalledWith(77);
    const tags = [...mounted.current.querySelectorAll<HTMLButtonElement>('.al-hashtag')];
    expect(tags.map((b) => b.textContent)).toEqual(['#上海疫情', '#上海']);
    act(() => tags[0]!.click());
    // A script's click says so: the panel on YouTube opens no tab for it (content/video-views.ts).
    expect(hashtag).toHaveBeenCalledWith('上海疫情', false);
    // The whole text, in order.
    expect(mounted.current.textContent).toBe(TEXT);
  });

  it('links times to their moment when the post is of another video, and opens only http(s) links', () => {
    show({ playing: 'dQw4w9WgXcQ', seek: vi.fn(), youtubeInPlace: true });
    expect(mounted.current.querySelector('.al-time')).toBeNull();
    const links = [...mounted.current.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target')]);
    expect(links).toEqual([
      ['0:00', 'https://www.youtube.com/watch?v=ak5OpyQki0w&t=0s', '_blank'],
      ['1:17', 'https://www.youtube.com/watch?v=ak5OpyQki0w&t=77s', '_blank'],
      ['https://bit.ly/3gozLAy', 'https://bit.ly/3gozLAy', '_blank'],
      // On YouTube, a YouTube link opens in place, as YouTube's own do.
      ['https://youtu.be/-VWLP6-06Jc', 'https://youtu.be/-VWLP6-06Jc', null],
    ]);
    expect(mounted.current.textContent).toContain('javascript:alert(1)');
  });

  it('copies a post as text: title, date and channel, a link, the description', async () => {
    const post = viewOf(seedText(), 'archived/2025-02-02/2025-02-02-x.md');
    const writeText = vi.fn(async (_: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    act(() => render(<PostCard post={post} open onToggle={() => {}} />, mounted.current));
    const button = mounted.current.querySelector<HTMLButtonElement>('.al-copy')!;
    expect(button.textContent).toBe('Copy as text');
    // The copy resolves after the whole post is had (at once here: it was sent whole) and the clipboard took it.
    await act(async () => {
      button.click();
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(writeText).toHaveBeenCalledWith(postAsText(post));
    expect(postAsText(post).split('\n').slice(0, 3)).toEqual([post.title, `2025-02-02 · ${post.channel}`, post.postUrl ?? post.sourceUrl]);
    expect(postAsText(post)).toContain(post.summary.trim().slice(-30));
    expect(button.textContent).toBe('Copied');
  });
});
