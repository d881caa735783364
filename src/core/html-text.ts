// Readable plain text from archive HTML, without a DOM: the same code runs in
// the background, in Node for the CLI and in tests. Nothing here ever produces
// markup; the panel renders the result as text.
import { Parser } from 'htmlparser2';
import { decodeHTML } from 'entities';

// Elements whose content is not readable text (players, embeds, scripts) or is
// junk pasted in by browser extensions (LanguageTool's `<lt-*>` mirrors).
const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'audio', 'video', 'canvas',
  'svg', 'math', 'object', 'embed', 'select', 'textarea', 'button', 'head', 'title',
]);

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt',
  'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tr',
  'ul', 'br',
]);

function isSkipped(name: string): boolean {
  return SKIP.has(name) || name.startsWith('lt-');
}

/** Decodes entities in text that is known to be plain (YouTube descriptions). */
export function decodeEntities(text: string): string {
  return decodeHTML(text);
}

// Every HTML element name a real article uses. Archive HTML has unescaped `<`
// in its text (`<<the one thing >>`, `(0<p<1)`, `p<0.05`): a browser would
// swallow the words up to the next `>`. A `<` that does not open one of these
// tags (or a comment, or a `<lt-*>` extension tag) is text, and is marked so.
const KNOWN_TAGS = (
  'a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col colgroup ' +
    'data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 ' +
    'head header hgroup hr html i iframe img input ins kbd label legend li link main map mark math menu meta meter nav noscript ' +
    'object ol optgroup option output p param picture pre progress q rp rt ruby s samp script section select slot small source ' +
    'span strike strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track u ul var ' +
    'video wbr center'
).split(' ');
const LONGEST_TAG = 10;

// The known names as a trie of lower-case char codes: a name in the text is
// looked up without making a string of it (a hostile post has a million).
interface TrieNode {
  next: Map<number, TrieNode>;
  end: boolean;
}
const TAG_TRIE: TrieNode = { next: new Map(), end: false };
for (const tag of KNOWN_TAGS) {
  let node = TAG_TRIE;
  for (let i = 0; i < tag.length; i++) {
    const code = tag.charCodeAt(i);
    let child = node.next.get(code);
    if (!child) node.next.set(code, (child = { next: new Map(), end: false }));
    node = child;
  }
  node.end = true;
}

function isKnownTag(html: string, start: number, end: number): boolean {
  let node: TrieNode | undefined = TAG_TRIE;
  for (let i = start; i < end && node; i++) {
    const code = html.charCodeAt(i);
    node = node.next.get(code >= 65 && code <= 90 ? code + 32 : code);
  }
  return node?.end === true;
}

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 45;
const endsTagName = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 47 || c === 62 || Number.isNaN(c);

/** Whether the `<` at `at` opens a known tag, a comment or a doctype (it only matters before a letter, `/`, `!` or `?`). */
function opensMarkup(html: string, at: number): boolean {
  const first = html.charCodeAt(at + 1);
  if (first === 33) return html.startsWith('!--', at + 1) || html.slice(at + 2, at + 9).toLowerCase() === 'doctype'; // !
  if (first === 63) return false; // ?
  const start = first === 47 ? at + 2 : at + 1; // /
  if (!isLetter(html.charCodeAt(start))) return false;
  let end = start + 1;
  while (end < html.length && isNameChar(html.charCodeAt(end))) end++;
  if (html.startsWith('lt-', start) || html.startsWith('LT-', start)) return true;
  return end - start <= LONGEST_TAG && endsTagName(html.charCodeAt(end)) && isKnownTag(html, start, end);
}

/**
 * The same text with each stray `<` replaced by one marker character. A `<`
 * before anything but a letter, `/`, `!` or `?` is text to any parser, but
 * htmlparser2 hands each one over as a text piece of its own (a million
 * pieces for a hostile post), so those are marked too. The string is rebuilt
 * at most once, as char codes decoded natively: a replacement per `<`, or a
 * regular expression with a million matches, was several times slower than
 * parsing an ordinary post of the same size.
 */
function markStrayLessThan(html: string, marker: number): string {
  let codes: Uint16Array | undefined;
  for (let at = html.indexOf('<'); at >= 0; at = html.indexOf('<', at + 1)) {
    const next = html.charCodeAt(at + 1);
    if ((isLetter(next) || next === 47 || next === 33 || next === 63) && opensMarkup(html, at)) continue;
    if (!codes) {
      codes = new Uint16Array(html.length);
      for (let i = 0; i < html.length; i++) codes[i] = html.charCodeAt(i);
    }
    codes[at] = marker;
  }
  return codes ? UTF16.decode(codes) : html;
}

// `ignoreBOM` keeps a leading U+FEFF as text instead of dropping it.
const UTF16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;

// Block boundaries are marked with NUL while parsing, and whitespace is
// collapsed once at the end rather than per text piece: tag soup can come in
// a million pieces. A stray `<` travels through the parser as another control
// character instead of as `&lt;`, which would cost an entity decode each.
const BREAK = '\u0000';
const BREAK_CODE = 0;
const STRAY_CODE = 1;
const CONTROL_RE = /[\u0000\u0001]/g;

/** The text a reader would see in a piece of HTML, one paragraph per line. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (skipDepth > 0 || isSkipped(name)) {
          if (isSkipped(name)) skipDepth++;
          return;
        }
        if (BLOCK.has(name)) parts.push(BREAK);
      },
      onclosetag(name) {
        if (isSkipped(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth === 0 && BLOCK.has(name)) parts.push(BREAK);
      },
      ontext(text) {
        if (skipDepth === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(markStrayLessThan(html.replace(CONTROL_RE, ''), STRAY_CODE));
  parser.end();
  return tidyLines(collapse(parts.join('')));
}

/**
 * Runs of HTML whitespace become one space, block marks become line breaks
 * and stray marks become `<` again, in one pass over char codes (a
 * replacement per match costs a string rebuild each, and a hostile post has
 * a million matches).
 */
function collapse(text: string): string {
  const out = new Uint16Array(text.length);
  let n = 0;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (!space) out[n++] = 32;
      space = true;
      continue;
    }
    space = false;
    out[n++] = c === BREAK_CODE ? 10 : c === STRAY_CODE ? 60 : c;
  }
  return UTF16.decode(out.subarray(0, n));
}

/** Trims each line and keeps at most one blank line between paragraphs. */
export function tidyLines(text: string): string {
  // What `split('\n')`, each line's `replace(/\s+/g, ' ').trim()`,
  // `join('\n')`, `replace(/\n{3,}/g, '\n\n')` and `trim()` give, in one
  // pass (those made six copies of every post's text as a sync parsed it):
  // the words (runs of anything but whitespace), one space between words of
  // a line, one newline between lines, two where blank lines came between.
  // Runs of the text that need no change are taken whole.
  let out = '';
  let run = -1;
  let i = 0;
  const length = text.length;
  while (i < length) {
    // The gap before the next word, and the newlines in it.
    const gapStart = i;
    let newlines = 0;
    while (i < length && isJsSpace(text.charCodeAt(i))) {
      if (text.charCodeAt(i) === 10) newlines++;
      i++;
    }
    if (i === length) break;
    if (run < 0) run = i;
    else if (gapStart > run) {
      const gap = i - gapStart;
      const same = newlines === 0 ? gap === 1 && text.charCodeAt(gapStart) === 32 : gap === Math.min(newlines, 2) && newlines <= 2;
      if (!same) {
        out += text.slice(run, gapStart) + (newlines === 0 ? ' ' : newlines === 1 ? '\n' : '\n\n');
        run = i;
      }
    }
    while (i < length && !isJsSpace(text.charCodeAt(i))) i++;
  }
  return run < 0 ? '' : out + text.slice(run, lastWordEnd(text));
}

/** Where the text's last word ends (its length less the whitespace after it). */
function lastWordEnd(text: string): number {
  let end = text.length;
  while (end > 0 && isJsSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/** Whether a UTF-16 code is whitespace as `\s` and `trim()` know it (ECMAScript's WhiteSpace and LineTerminator). */
function isJsSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}
