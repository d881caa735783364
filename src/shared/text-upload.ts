// Long texts go to the background in pieces, each its own short task: a
// message is serialised on the sender's main thread in one go, and YouTube's
// 2 MB description sent whole held the page for 30–50 ms. The background
// keeps the pieces (background/text-uploads.ts) until a request names the
// text as `{ upload }`.
import { ask } from './client';
import type { TextRef } from './messages';

/** Characters a piece: about a millisecond of serialising. */
export const PART_CHARS = 100_000;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The text as a request can name it: itself when short, else an upload sent a piece a task. */
export async function uploaded(text: string, signal?: AbortSignal): Promise<TextRef> {
  if (text.length <= PART_CHARS) return text;
  const upload = crypto.randomUUID();
  const count = Math.ceil(text.length / PART_CHARS);
  for (let index = 0; index < count; index++) {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    await nextTask();
    // Pieces may cut a surrogate pair: they are joined again before anything reads them.
    const part = text.slice(index * PART_CHARS, (index + 1) * PART_CHARS);
    await ask('textPart', { upload, index, part, last: index === count - 1 });
  }
  return { upload };
}
