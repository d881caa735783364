// Cutting text to a length without splitting a character in two: the place
// before `end`, moved back off the middle of a surrogate pair.

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** `end` (at most the text's length), moved back when it would split a surrogate pair. */
export function safeEnd(text: string, end: number): number {
  if (end >= text.length) return text.length;
  return end > 0 && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
}

/** The text's first `max` UTF-16 units at most, never half a character. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, safeEnd(text, max));
}

/** How much of a post's description one message to a page carries (a page shows a few thousand characters a click). */
export const SENT_SUMMARY_CHARS = 50_000;
