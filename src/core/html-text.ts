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
// tags (or a comment, or a `<lt-*>` extension tag) is text, so we escape it.
const KNOWN_TAGS =
  'a|abbr|address|area|article|aside|audio|b|base|bdi|bdo|blockquote|body|br|button|canvas|caption|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|hgroup|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|map|mark|math|menu|meta|meter|nav|noscript|object|ol|optgroup|option|output|p|param|picture|pre|progress|q|rp|rt|ruby|s|samp|script|section|select|slot|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|track|u|ul|var|video|wbr|center|lt-[a-z-]+';
// Only a `<` that the parser would read as markup (before a letter, `/`, `!`
// or `?`) needs escaping; any other `<` is already text to it.
const STRAY_LT_RE = new RegExp(`<(?=[a-z/!?])(?!!--|!doctype|/?(?:${KNOWN_TAGS})(?=[\\s/>]))`, 'gi');

/** Escapes every `<` that does not open a known tag, a comment or a doctype, so that it stays text. */
export function escapeStrayLessThan(html: string, replacement = '&lt;'): string {
  return html.replace(STRAY_LT_RE, replacement);
}

// Block boundaries are marked with NUL while parsing, and whitespace is
// collapsed once at the end rather than per text piece: tag soup can come in
// a million pieces. A stray `<` travels through the parser as another control
// character instead of as `&lt;`, which would cost an entity decode each.
const BREAK = '\u0000';
const STRAY = '\u0001';
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
  parser.write(escapeStrayLessThan(html.replace(CONTROL_RE, ''), STRAY));
  parser.end();
  return tidyLines(parts.join('').replace(/[ \t\r\n\f]+/g, ' ').replaceAll(BREAK, '\n').replaceAll(STRAY, '<'));
}

/** Trims each line and keeps at most one blank line between paragraphs. */
export function tidyLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
