// What the uploader changed since a post was archived: the archived title or
// description against what YouTube shows now. Never a false alarm: texts are
// compared after NFKC (full-width and half-width forms are the same), with
// HTML entities decoded and all whitespace dropped (archives stored
// descriptions with their newlines stripped). Real differences are shown by
// words: Latin words and numbers whole, CJK characters one by one.
import { decodeHTML as decodeEntities } from 'entities';

export type DiffOp = { op: '=' | '-' | '+'; text: string };

export interface TextChange {
  /** Words (CJK: characters) the current text no longer has, and has anew. */
  removed: number;
  added: number;
  /** The difference piece by piece, or null when the texts differ too much to show one. */
  diff: DiffOp[] | null;
}

/** The form two texts are compared in. */
export function comparable(text: string): string {
  return decodeEntities(text).normalize('NFKC').replace(/\s+/g, '');
}

export function sameText(archived: string, current: string): boolean {
  return comparable(archived) === comparable(current);
}

/** Words as a reader sees them: a run of letters or digits of a spaced script, or one CJK character, or one mark. */
export function diffTokens(text: string): string[] {
  return decodeEntities(text).match(/[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}_'-]+|[^\s]/gu) ?? [];
}

/** What a token is compared as (full-width and half-width forms alike). */
const key = (token: string) => token.normalize('NFKC');

/** Most cells the word-by-word table may have (a content script must stay light). */
const MAX_CELLS = 1_500_000;

function longestCommonSubsequence(a: string[], b: string[]): DiffOp[] | null {
  const n = a.length;
  const m = b.length;
  const ka = a.map(key);
  const kb = b.map(key);
  if ((n + 1) * (m + 1) > MAX_CELLS) return null;
  const width = m + 1;
  const table = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = ka[i] === kb[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ka[i] === kb[j]) {
      ops.push({ op: '=', text: b[j]! });
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) {
      ops.push({ op: '-', text: a[i++]! });
    } else {
      ops.push({ op: '+', text: b[j++]! });
    }
  }
  while (i < n) ops.push({ op: '-', text: a[i++]! });
  while (j < m) ops.push({ op: '+', text: b[j++]! });
  return ops;
}

/**
 * Joins neighbouring pieces of the same kind, with a space between Latin
 * words. Whether a space is due depends on the last piece only: testing the
 * text joined so far made a description of 300,000 characters take the
 * worker 50 s (each test flattened the growing string).
 */
function merge(ops: DiffOp[]): DiffOp[] {
  const out: { op: DiffOp['op']; parts: string[]; tail: string }[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last && last.op === op.op) {
      const spaced = /[\p{L}\p{N}]$/u.test(last.tail) && /^[\p{L}\p{N}]/u.test(op.text) && /[A-Za-z0-9]/.test(last.tail.slice(-1) + op.text[0]);
      if (spaced) last.parts.push(' ');
      last.parts.push(op.text);
      last.tail = op.text;
    } else {
      out.push({ op: op.op, parts: [op.text], tail: op.text });
    }
  }
  return out.map(({ op, parts }) => ({ op, text: parts.join('') }));
}

/** How `current` differs from `archived`, or null when it does not (see `comparable`). */
export function textChange(archived: string, current: string): TextChange | null {
  if (sameText(archived, current)) return null;
  const a = diffTokens(archived);
  const b = diffTokens(current);
  // The unchanged start and end need no table.
  let start = 0;
  while (start < a.length && start < b.length && key(a[start]!) === key(b[start]!)) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && key(a[a.length - 1 - end]!) === key(b[b.length - 1 - end]!)) end++;
  const middle = longestCommonSubsequence(a.slice(start, a.length - end), b.slice(start, b.length - end));
  // Unchanged words as YouTube shows them now.
  const head: DiffOp[] = b.slice(0, start).map((text) => ({ op: '=', text }));
  const tail: DiffOp[] = b.slice(b.length - end).map((text) => ({ op: '=', text }));
  if (!middle) {
    // Too different to show word by word: say how much.
    const removed = a.length - start - end;
    const added = b.length - start - end;
    return { removed, added, diff: null };
  }
  const ops = [...head, ...middle, ...tail];
  return {
    removed: ops.filter((o) => o.op === '-').length,
    added: ops.filter((o) => o.op === '+').length,
    diff: merge(ops),
  };
}
