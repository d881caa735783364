// A source's id is the first part of the keys its rows are stored under,
// joined with `|` (`${sourceId}|${gen}|${id}`), and a source's rows are read
// by that prefix: an id holding `|` (a branch or a file may be named so)
// would read another source's rows as its own. Ids never hold one.

/** `text` fit for a source id: `|` written as `%7C` (and `%` as `%25`, so two texts never become one). */
export function sourceIdPart(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('|', '%7C');
}
