// What changed between pairs of texts, without holding the page: short texts
// are compared at once where they are shown; longer ones (a description of
// 200,000 characters took seconds to tokenise and compare on YouTube's main
// thread) by the background, whose answer arrives later. An archived text is
// sent as its post's key, not as the megabytes the page was sent.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { textChange, type TextChange } from '../core/text-diff';
import { ask } from '../shared/client';
import type { TextRef } from '../shared/messages';
import { uploaded } from '../shared/text-upload';

/** Texts up to this many characters in all are compared in place (well under a frame's work). */
export const LOCAL_CHARS = 20_000;

/** One side of a comparison: its text, and the archived post it is the title or description of, if so. */
export interface Compared {
  text: string;
  post?: { key: string; field: 'title' | 'summary' };
}

/** How a request names one side: its post's key, or the text (sent ahead in pieces when long). */
const refOf = (side: Compared, signal: AbortSignal): Promise<TextRef> =>
  side.post ? Promise.resolve({ post: side.post.key, field: side.post.field }) : uploaded(side.text, signal);
const sameTexts = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((text, i) => text === b[i]);

/** Each pair's change (null: the same), or undefined while the background compares them (or could not). */
export function useTextChanges(pairs: [Compared, Compared][]): (TextChange | null)[] | undefined {
  const texts = pairs.flatMap(([a, b]) => [a.text, b.text]);
  const local = texts.reduce((sum, text) => sum + text.length, 0) <= LOCAL_CHARS;
  // The texts themselves are the dependencies: a render with the same texts compares nothing again.
  const inPlace = useMemo(() => (local ? pairs.map(([a, b]) => textChange(a.text, b.text)) : undefined), [local, ...texts]);
  const [remote, setRemote] = useState<{ texts: string[]; changes: (TextChange | null)[] } | null>(null);
  useEffect(() => {
    if (local || pairs.length === 0) return;
    const controller = new AbortController();
    // The same long text on several sides (a video's versions against the page) is sent once.
    const refs = new Map<string, Promise<TextRef>>();
    const ref = (side: Compared) => {
      if (side.post) return refOf(side, controller.signal);
      if (!refs.has(side.text)) refs.set(side.text, refOf(side, controller.signal));
      return refs.get(side.text)!;
    };
    Promise.all(pairs.map(async ([a, b]): Promise<[TextRef, TextRef]> => [await ref(a), await ref(b)]))
      .then((named) => ask('textChanges', { pairs: named }))
      .then((changes) => {
        if (!controller.signal.aborted) setRemote({ texts, changes });
      }, () => {});
    return () => controller.abort();
  }, [local, ...texts]);
  if (local) return inPlace;
  return remote && sameTexts(remote.texts, texts) ? remote.changes : undefined;
}
