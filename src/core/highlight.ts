// Where the query's terms occur in a text as written, for highlighting a
// result's title and a short excerpt of its summary. Matching compares folded
// text (fold.ts), whose length differs from the text's (NFKC), so here each
// character is folded on its own and remembers where it came from.
import { findTerm, foldForSearch, simplifiedOf } from './fold';

export type Range = [start: number, end: number];

// Characters that need NFKC, folded once and remembered: NFKC per call is slow.
const folded = new Map<string, string>();

function foldRare(char: string): string {
  let piece = folded.get(char);
  if (piece === undefined) {
    piece = foldForSearch(char);
    if (/^\s+$/.test(piece)) piece = ' ';
    if (folded.size > 50_000) folded.clear();
    folded.set(char, piece);
  }
  return piece;
}

/**
 * A text folded a character at a time, as far as asked: an excerpt needs
 * only the text up to its first match and a little after, not 20,000
 * characters of an article.
 */
class FoldedPrefix {
  private text = '';
  /** For each folded character: where its character as written starts and ends. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** How much of the text as written is folded. */
  read = 0;

  constructor(private readonly source: string) {}

  get done(): boolean {
    return this.read >= this.source.length;
  }

  extendTo(end: number): void {
    const source = this.source;
    const stop = Math.min(end, source.length);
    let out = '';
    let i = this.read;
    while (i < stop) {
      const code = source.charCodeAt(i);
      let piece: string;
      let width = 1;
      // The common characters without NFKC: ASCII, and CJK ideographs (which NFKC and case leave alone).
      if (code < 0x80) {
        piece = code === 32 || (code >= 9 && code <= 13) ? ' ' : code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : source[i]!;
      } else if (code >= 0x4e00 && code <= 0x9fff) {
        piece = simplifiedOf(code) ?? source[i]!;
      } else {
        width = code >= 0xd800 && code <= 0xdbff && i + 1 < source.length ? 2 : 1;
        piece = foldRare(source.slice(i, i + width));
      }
      for (let k = 0; k < piece.length; k++) {
        this.starts.push(i);
        this.ends.push(i + width);
      }
      out += piece;
      i += width;
    }
    this.text += out;
    this.read = i;
  }

  /** Where the terms occur in what is folded so far, as written, overlapping ones merged. */
  ranges(terms: readonly string[]): Range[] {
    const ranges: Range[] = [];
    for (const term of terms) {
      for (let at = findTerm(this.text, term); at >= 0; at = findTerm(this.text, term, at + term.length)) {
        ranges.push([this.starts[at]!, this.ends[at + term.length - 1]!]);
      }
    }
    return mergeRanges(ranges);
  }
}

function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** Where folded terms occur in a text as written (not folded). */
export function highlightRanges(text: string, terms: readonly string[]): Range[] {
  if (terms.length === 0 || !text) return [];
  const fold = new FoldedPrefix(text);
  fold.extendTo(text.length);
  return fold.ranges(terms);
}

const EXCERPT_SCOPE = 20_000;
const STEP = 1024;

/** A short piece of a long text around its first match, with the matches in it. */
export function excerpt(text: string, terms: readonly string[], radius = 60): { text: string; ranges: Range[] } {
  // The first 20,000 characters: an article can be two megabytes, and a result needs only a line.
  const flat = text.slice(0, EXCERPT_SCOPE).replace(/\s+/g, ' ').trim();
  const opening = { text: flat.length > radius * 2 ? `${flat.slice(0, radius * 2)}…` : flat, ranges: [] };
  if (terms.length === 0) return opening;
  // Most results matched in their title: folded whole (fast), the text shows at once that it holds no term.
  const whole = foldForSearch(flat);
  if (!terms.some((term) => findTerm(whole, term) >= 0)) return opening;
  const fold = new FoldedPrefix(flat);
  let all: Range[] = [];
  while (!fold.done && all.length === 0) {
    fold.extendTo(fold.read + STEP);
    all = fold.ranges(terms);
  }
  if (!all[0]) return opening;
  // Every match the excerpt can show ends before the first one's end and the radius.
  fold.extendTo(all[0][1] + radius);
  all = fold.ranges(terms);
  const first = all[0]!;
  const start = Math.max(0, first[0] - radius);
  const end = Math.min(flat.length, first[1] + radius);
  const lead = start > 0 ? '…' : '';
  const ranges = all.filter(([a, b]) => a >= start && b <= end).map(([a, b]): Range => [a - start + lead.length, b - start + lead.length]);
  return { text: `${lead}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`, ranges };
}
