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

export function splitFrontMatter(text: string): FrontMatterResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === '') first++;
  if (first >= lines.length || !DELIMITER_RE.test(lines[first]!)) {
    return { ok: false, reason: 'no-front-matter' };
  }
  let end = first + 1;
  while (end < lines.length && !DELIMITER_RE.test(lines[end]!)) end++;
  if (end >= lines.length) return { ok: false, reason: 'unterminated-front-matter' };

  // No prototype: a key such as `__proto__` or `constructor` is just a key.
  const data: Record<string, FrontMatterValue> = Object.create(null) as Record<string, FrontMatterValue>;
  // A key with nothing after it may open a block list (`exclude:` then `  - archived` lines).
  let listKey: string | null = null;
  for (const line of lines.slice(first + 1, end)) {
    const item = listKey !== null && /^[ \t]*-(?:[ \t]+(.*))?$/.exec(line);
    if (item) {
      const value = readScalar((item[1] ?? '').trim());
      const list = data[listKey!];
      if (!value) continue;
      if (Array.isArray(list)) list.push(value);
      else data[listKey!] = [value];
      continue;
    }
    const m = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*)|[ \t]*)$/.exec(line);
    if (!m) {
      // Comments and blank lines inside a list keep it open; nested YAML we do not use ends it.
      if (!/^[ \t]*(#.*)?$/.test(line)) listKey = null;
      continue;
    }
    const raw = (m[2] ?? '').trim();
    data[m[1]!] = readValue(raw);
    listKey = raw === '' ? m[1]! : null;
  }
  return { ok: true, value: { data, body: lines.slice(end + 1).join('\n') } };
}

function readValue(raw: string): FrontMatterValue {
  if (raw.startsWith('[')) return readFlowList(raw);
  return readScalar(raw);
}

function readScalar(raw: string): string {
  if (raw.startsWith('"')) return readDoubleQuoted(raw).value;
  if (raw.startsWith("'")) return readSingleQuoted(raw).value;
  // A plain scalar ends at ` #` (a YAML comment).
  const hash = raw.search(/\s#/);
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
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"') return { value: out, end: i + 1 };
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      i++;
      continue;
    }
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
  }
  // No closing quote: keep everything after the opening one.
  return { value: out, end: raw.length };
}

function readSingleQuoted(raw: string, from = 0): { value: string; end: number } {
  let out = '';
  let i = from + 1;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      if (raw[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, end: i + 1 };
    }
    out += c;
    i++;
  }
  return { value: out, end: raw.length };
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
