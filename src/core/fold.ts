// One form of text for searching, whatever the script the archive or the
// reader used: NFKC (full-width Latin and digits become ASCII), lower case,
// and Traditional Chinese characters folded to Simplified with OpenCC's
// character table (TSCharacters, ≈3,500 pairs, taken as data from the
// maintained opencc-js package). Character by character, no phrase tables:
// for matching, `桃園選舉` and `桃园选举` only need to meet in one form.
import tsCharacters from 'opencc-js/dict/TSCharacters';

let table: Map<number, string> | null = null;
/**
 * The same pairs for characters of the Basic Multilingual Plane that fold to
 * one of it, as a direct table (code unit to code unit, 0 for none): folding
 * is done for every field of every post a sync indexes, and a Map lookup per
 * Chinese character was most of its cost. A character whose Simplified form
 * is outside that plane is marked 0xFFFF (a noncharacter): look in the Map.
 */
let bmpTable: Uint16Array | null = null;

function traditionalToSimplified(): Map<number, string> {
  if (table) return table;
  table = new Map();
  bmpTable = new Uint16Array(0x10000);
  for (const pair of tsCharacters.split('|')) {
    const [from, to] = pair.split(' ');
    if (!from || !to || from === to) continue;
    const point = from.codePointAt(0)!;
    table.set(point, to);
    if (point <= 0xffff) bmpTable[point] = to.length === 1 ? to.charCodeAt(0) : 0xffff;
  }
  return table;
}

/** The Simplified form of a Traditional Chinese character, by code point, when it has one. */
export function simplifiedOf(point: number): string | undefined {
  return traditionalToSimplified().get(point);
}

/** Text in the one form search compares. Lengths may change (NFKC); do not map offsets through it. */
export function foldForSearch(text: string): string {
  const map = traditionalToSimplified();
  const bmp = bmpTable!;
  const normal = text.normalize('NFKC').toLowerCase();
  let out = '';
  let from = 0;
  for (let i = 0; i < normal.length; i++) {
    const code = normal.charCodeAt(i);
    // Only CJK ideographs (and their surrogate pairs) can fold.
    if (code < 0x3400) continue;
    if (code < 0xd800 || code > 0xdfff) {
      const simple = bmp[code]!;
      if (simple !== 0) {
        out += normal.slice(from, i) + (simple === 0xffff ? map.get(code)! : String.fromCharCode(simple));
        from = i + 1;
      }
      continue;
    }
    const point = normal.codePointAt(i)!;
    const simple = map.get(point);
    const width = point > 0xffff ? 2 : 1;
    if (simple !== undefined) {
      out += normal.slice(from, i) + simple;
      from = i + width;
    }
    i += width - 1;
  }
  return from === 0 ? normal : out + normal.slice(from);
}

const LETTER = /[\p{L}\p{N}]/u;
/**
 * Whether each unit of the Basic Multilingual Plane is a letter or digit, as
 * LETTER says, found once per unit (0: not yet asked, 1: no, 2: yes): asking
 * LETTER made a string of the character each time, and indexing asks for
 * every punctuation mark of every post.
 */
const letterUnits = new Uint8Array(0x10000);

/** Whether a UTF-16 unit on its own is a letter or a digit (a lone surrogate is not). */
export function isLetterUnit(code: number): boolean {
  let known = letterUnits[code]!;
  if (known === 0) letterUnits[code] = known = LETTER.test(String.fromCharCode(code)) ? 2 : 1;
  return known === 2;
}

/**
 * Whether the character at `at` belongs to a script written with spaces
 * between words (Latin, Greek, Cyrillic, digits): there a match must start a
 * word, as in any search box (`to` finds "today", not "photo").
 */
export function isSpacedLetter(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (Number.isNaN(code)) return false;
  if (code < 0x80) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  return code < 0x0e00 && isLetterUnit(code);
}

/** Where a folded term next occurs in folded text, from `from`: at a word's start when it starts with a letter of a spaced script. */
export function findTerm(text: string, term: string, from = 0): number {
  const wordy = isSpacedLetter(term, 0);
  for (let at = text.indexOf(term, from); at >= 0; at = text.indexOf(term, at + 1)) {
    if (!wordy || at === 0 || !isSpacedLetter(text, at - 1)) return at;
  }
  return -1;
}

export function hasTerm(text: string, term: string): boolean {
  return findTerm(text, term) >= 0;
}
