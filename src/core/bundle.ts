// The bundle format: one archive as a single static file that can be hosted
// anywhere (GitHub Pages, any static host). Gzip'd NDJSON: a header line,
// then one line per post file with its raw text, so the extension parses it
// with its own (possibly newer) parser.
//   {"format":"archivelens-bundle","version":1,"name":"NodeBE4/society","repo":{…}|null,"site":{…}|null,"files":15271,"createdAt":"…"}
//   {"path":"archived/2025-02-02/….md","text":"---\ntitle: …"}
import { isPostFile, DEFAULT_POST_FOLDERS } from './archive-files';
import { validRepo, validSiteConfig, type ArchiveRepo, type SiteConfig } from './site';

export const BUNDLE_FORMAT = 'archivelens-bundle';
export const BUNDLE_VERSION = 1;

export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  version: number;
  name: string;
  repo: ArchiveRepo | null;
  site: SiteConfig | null;
  files: number;
  createdAt: string;
}

export interface BundleFile {
  path: string;
  text: string;
}

export class BundleFormatError extends Error {}

/** One line may hold the largest post several times over, but not a runaway file. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export function bundleHeader(fields: Omit<BundleHeader, 'format' | 'version'>): string {
  const header: BundleHeader = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, ...fields };
  return `${JSON.stringify(header)}\n`;
}

export function bundleLine(file: BundleFile): string {
  return `${JSON.stringify({ path: file.path, text: file.text })}\n`;
}

export type BundleItem =
  | { kind: 'header'; header: BundleHeader }
  | { kind: 'file'; file: BundleFile }
  | { kind: 'bad-line'; line: number; message: string };

/** The header line, checked field by field: a bundle is written by strangers. */
function readHeader(text: string): BundleHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw new BundleFormatError('not an ArchiveLens bundle (the first line is not a bundle header)');
  }
  const h = raw as Record<string, unknown>;
  const version = typeof h.version === 'number' ? h.version : 0;
  if (version > BUNDLE_VERSION) throw new BundleFormatError(`the bundle is format version ${version}; update ArchiveLens to read it`);
  const files = typeof h.files === 'number' && Number.isFinite(h.files) && h.files >= 0 ? Math.floor(h.files) : 0;
  return {
    format: BUNDLE_FORMAT,
    version,
    name: typeof h.name === 'string' ? h.name.slice(0, 200) : '',
    repo: h.repo == null ? null : validRepo(h.repo),
    site: h.site == null ? null : validSiteConfig(h.site),
    files,
    createdAt: typeof h.createdAt === 'string' ? h.createdAt.slice(0, 40) : '',
  };
}

/** Reads a (decompressed) bundle stream line by line. */
export async function* readBundle(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<BundleItem> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let line = 0;
  const parse = (text: string): BundleItem | null => {
    line++;
    if (line === 1) {
      return { kind: 'header', header: readHeader(text) };
    }
    if (!text.trim()) return null;
    try {
      const value = JSON.parse(text) as Partial<BundleFile>;
      if (typeof value.path !== 'string' || typeof value.text !== 'string') throw new Error('a line needs "path" and "text"');
      if (!isPostFile(value.path, DEFAULT_POST_FOLDERS)) throw new Error(`"${value.path.slice(0, 200)}" is not the path of a post in _posts/ or archived/`);
      return { kind: 'file', file: { path: value.path, text: value.text } };
    } catch (e) {
      return { kind: 'bad-line', line, message: e instanceof SyntaxError ? 'the line is not valid JSON' : (e as Error).message };
    }
  };
  for await (const chunk of chunks) {
    try {
      pending += decoder.decode(chunk, { stream: true });
    } catch {
      throw new BundleFormatError('the bundle is not UTF-8 text');
    }
    // Lines are cut from one offset forward; the rest is kept once per chunk.
    let from = 0;
    let newline: number;
    while ((newline = pending.indexOf('\n', from)) >= 0) {
      const item = parse(pending.slice(from, newline));
      from = newline + 1;
      if (item) yield item;
    }
    pending = pending.slice(from);
    if (pending.length > MAX_LINE_BYTES) throw new BundleFormatError(`line ${line + 1} of the bundle is longer than ${MAX_LINE_BYTES} characters`);
  }
  pending += decoder.decode();
  if (pending.trim()) {
    const item = parse(pending);
    if (item) yield item;
  }
  if (line === 0) throw new BundleFormatError('the bundle is empty');
}
