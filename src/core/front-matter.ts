// A tolerant reader for the flat front matter these archives use.
//
// The generator writes front matter from a string template, not with a YAML
// library, so a few real posts are not valid YAML (a raw `\` in a quoted
// title makes strict parsers fail with "unknown escape sequence"). Posts only
// ever use `key: scalar` and `key: [ a, b ]`, so we read exactly that, line by
// line, and keep what the author wrote where strict YAML would give up.

export type FrontMatterValue = string | string[];

export interface FrontMatter {
  data: Record<string, FrontMatterValue>;
  body: string;
}

export type FrontMatterResult =
  | { ok: true; value: FrontMatter }
  | { ok: false; reason: 'no-front-matter' | 'unterminated-front-matter' };

const DELIMITER_RE = /^---[ \t]*$/;
// Made once: a pattern written in the loop is a new RegExp object each time
// it runs (a sync reads a dozen lines of each of 100,000 posts).
const LIST_ITEM_RE = /^[ \t]*-(?:[ \t]+(.*))?$/;
const KEY_RE = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$/;
const BLANK_OR_COMMENT_RE = /^[ \t]*(#.*)?$/;
const COMMENT_RE = /\s#/;

export function splitFrontMatter(text: string): FrontMatterResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Line by line up to the closing `---`, and the body cut whole after it: a
  // post's lines split and joined again were most of what parsing allocated
  // (a sync parses 100,000 posts in a row). Lines end at `\n` or `\r\n`.
  const lines = new LineCursor(source);
  let line = lines.next();
  while (line !== null && line.trim() === '') line = lines.next();
  if (line === null || !DELIMITER_RE.test(line)) return { ok: false, reason: 'no-front-matter' };

  // No prototype: a key such as `__proto__` or `constructor` is just a key.
  const data: Record<string, FrontMatterValue> = Object.create(null) as Record<string, FrontMatterValue>;
  // A key with nothing after it may open a block list (`exclude:` then `  - archived` lines).
  let listKey: string | null = null;
  for (;;) {
    line = lines.next();
    if (line === null) return { ok: false, reason: 'unterminated-front-matter' };
    if (DELIMITER_RE.test(line)) break;
    const item = listKey !== null && LIST_ITEM_RE.exec(line);
    if (item) {
      const value = readScalar((item[1] ?? '').trim());
      const list = data[listKey!];
      if (!value) continue;
      if (Array.isArray(list)) list.push(value);
      else data[listKey!] = [value];
      continue;
    }
    const m = KEY_RE.exec(line);
    if (!m) {
      // Comments and blank lines inside a list keep it open; nested YAML we do not use ends it.
      if (!BLANK_OR_COMMENT_RE.test(line)) listKey = null;
      continue;
    }
    const raw = (m[2] ?? '').trim();
    data[m[1]!] = readValue(raw);
    listKey = raw === '' ? m[1]! : null;
  }
  return { ok: true, value: { data, body: lines.rest().replaceAll('\r\n', '\n') } };
}

/** A text's lines one at a time, as `split(/\r?\n/)` gives them, and what follows the last one taken. */
class LineCursor {
  private at = 0;
  constructor(private readonly text: string) {}

  next(): string | null {
    const { text, at } = this;
    if (at > text.length) return null;
    const newline = text.indexOf('\n', at);
    if (newline < 0) {
      this.at = text.length + 1;
      return text.slice(at);
    }
    this.at = newline + 1;
    return text.slice(at, newline > at && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline);
  }

  /** The text after the line last taken ('' after the last line). */
  rest(): string {
    return this.at > this.text.length ? '' : this.text.slice(this.at);
  }
}

function readValue(raw: string): FrontMatterValue {
  if (raw.startsWith('[')) return readFlowList(raw);
  return readScalar(raw);
}

function readScalar(raw: string): string {
  if (raw.startsWith('"')) return readDoubleQuoted(raw).value;
  if (raw.startsWith("'")) return readSingleQuoted(raw).value;
  // A plain scalar ends at ` #` (a YAML comment).
  const hash = raw.search(COMMENT_RE);
  return (hash >= 0 ? raw.slice(0, hash) : raw).trim();
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  ' ': ' ',
  _: '\u00a0',
  N: '\u0085',
  L: '\u2028',
  P: '\u2029',
};

/**
 * Reads `"…"` starting at raw[from]. Unknown escapes such as `\智` are kept as
 * the two characters the author typed instead of failing the whole post.
 */
function readDoubleQuoted(raw: string, from = 0): { value: string; end: number } {
  let out = '';
  let i = from + 1;
  // Runs of plain characters are taken whole (a character at a time, a long
  // title or description was a string per character).
  let run = i;
  while (i < raw.length) {
    const code = raw.charCodeAt(i);
    if (code !== 0x22 && code !== 0x5c) {
      i++;
      continue;
    }
    if (code === 0x22) return { value: out + raw.slice(run, i), end: i + 1 };
    if (i + 1 >= raw.length) {
      i++;
      continue;
    }
    out += raw.slice(run, i);
    const next = raw[i + 1]!;
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const hex = hexLength ? raw.slice(i + 2, i + 2 + hexLength) : '';
    if (hexLength && /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLength) {
      const code = parseInt(hex, 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : `\\${next}${hex}`;
      i += 2 + hexLength;
    } else if (Object.hasOwn(SIMPLE_ESCAPES, next)) {
      out += SIMPLE_ESCAPES[next]!;
      i += 2;
    } else {
      out += `\\${next}`;
      i += 2;
    }
    run = i;
  }
  // No closing quote: keep everything after the opening one.
  return { value: out + raw.slice(run), end: raw.length };
}

function readSingleQuoted(raw: string, from = 0): { value: string; end: number } {
  let out = '';
  let i = from + 1;
  for (;;) {
    const quote = raw.indexOf("'", i);
    if (quote < 0) return { value: out + raw.slice(i), end: raw.length };
    out += raw.slice(i, quote);
    if (raw[quote + 1] !== "'") return { value: out, end: quote + 1 };
    out += "'";
    i = quote + 2;
  }
}

// One pass over the line: every character is looked at a bounded number of
// times, so a list of thousands of quoted items stays linear.
function readFlowList(raw: string): string[] {
  const items: string[] = [];
  let i = 1;
  let start = 1;
  let blank = true;
  const push = (end: number) => {
    const item = raw.slice(start, end).trim();
    if (item) items.push(item);
  };
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === ']') break;
    if (c === ',') {
      push(i);
      i++;
      start = i;
      blank = true;
    } else if ((c === '"' || c === "'") && blank) {
      const read = c === '"' ? readDoubleQuoted(raw, i) : readSingleQuoted(raw, i);
      // Quoted items keep inner spaces.
      items.push(read.value);
      i = read.end;
      while (i < raw.length && raw[i] !== ',' && raw[i] !== ']') i++;
      if (raw[i] === ',') i++;
      start = i;
      blank = true;
    } else {
      if (c !== ' ' && c !== '\t') blank = false;
      i++;
    }
  }
  if (i > start) push(Math.min(i, raw.length));
  return items;
}

export function stringField(data: Record<string, FrontMatterValue>, key: string): string | undefined {
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A field as Ruby's YAML (what Jekyll reads) takes it: true for `true`,
 * `yes`, `on`; false for `false`, `no`, `off`, and for nothing or null (nil,
 * which Jekyll treats as false); undefined when absent or anything else.
 */
export function booleanField(data: Record<string, FrontMatterValue>, key: string): boolean | undefined {
  const value = stringField(data, key)?.trim();
  if (value === undefined) return undefined;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(value)) return true;
  if (/^(|false|False|FALSE|no|No|NO|off|Off|OFF|~|null|Null|NULL)$/.test(value)) return false;
  return undefined;
}

export function listField(data: Record<string, FrontMatterValue>, key: string): string[] {
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value.trim() ? value.split(/\s*,\s*|\s+/).filter(Boolean) : [];
}
