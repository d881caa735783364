// Strings that keep nothing else alive. A substring (slice, trim, split, a
// regular expression's match) of 13 or more characters is, in V8 and
// SpiderMonkey alike, a view of the string it was cut from: a post's title or
// link kept its whole file's text alive, and its summary the whole body.
// During a sync a batch's posts outlive several minor collections, so all of
// it was promoted to the old generation with them (society ×8: 113 MiB of
// bodies alone, of 892 MiB promoted in all), growing the heap between full
// collections. No library does this; the copy is a concatenation flattened.

/** `text` in a string of its own (a copy when it is long enough to be a view). */
export function ownString(text: string): string {
  // Slicing a concatenation flattens it into a new string first: the result
  // is a view of that copy, not of `text`'s parent. A space on each side:
  // SpiderMonkey cuts a slice that lies within one side of a concatenation
  // from that side alone (`(' ' + text).slice(1)` would be `text` again),
  // and this one lies within the left side, itself a concatenation, which
  // it flattens. Shorter strings are copies already.
  return text.length < 13 ? text : ` ${text} `.slice(1, -1);
}
