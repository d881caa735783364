// The real archive data in ../shared/archives, for tests and benchmarks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

export const SHARED = resolve(process.env.ARCHIVELENS_SHARED ?? join(import.meta.dirname, '../../../shared'));
export const ARCHIVES = join(SHARED, 'archives');
export const SOCIETY_TARBALL = join(ARCHIVES, 'society-posts.tar.gz');
export const EDGE_CASES = join(ARCHIVES, 'edge-cases');
export const SEED = join(SHARED, 'seed/000_a3f343768841242c.txt');

if (!existsSync(SOCIETY_TARBALL)) {
  throw new Error(`The real archive data is missing at ${ARCHIVES}: tests expect ../shared beside the project (or ARCHIVELENS_SHARED).`);
}

export function seedText(): string {
  return readFileSync(SEED, 'utf8');
}

/** Every file under a folder, as repository-relative paths with `/`. */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The society tarball extracted once by the system's tar (independent of our reader). */
export function extractedSociety(): string {
  const dir = join(tmpdir(), 'archivelens-society-92a7247');
  if (!existsSync(join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', SOCIETY_TARBALL, '-C', dir]);
    execFileSync('touch', [join(dir, '.done')]);
  }
  return dir;
}

export interface EdgeCase {
  /** Path relative to the edge-cases folder, e.g. `th/archived/…`. */
  file: string;
  /** Path as the post's repository has it, e.g. `archived/…`. */
  path: string;
  text: string;
}

export function edgeCases(): EdgeCase[] {
  return listFiles(EDGE_CASES)
    .filter((f) => f.endsWith('.md') && f !== 'INDEX.md')
    .map((file) => ({ file, path: file.slice(file.indexOf('/') + 1), text: readFileSync(join(EDGE_CASES, file), 'utf8') }));
}

export function edgeCase(fragment: string): EdgeCase {
  const found = edgeCases().filter((c) => c.file.normalize('NFC').includes(fragment.normalize('NFC')));
  if (found.length !== 1) throw new Error(`edge case "${fragment}" matched ${found.length} files`);
  return found[0]!;
}

/** A file of a published index as its text (files ending .gz are stored gzipped). */
export function publishedText(path: string): string {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** The same file written back, gzipped when its name says so (tests that play a hostile or changed host). */
export function writePublished(path: string, text: string): void {
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(text) : text);
}

/** A file of a published index as its bytes, unpacked when stored gzipped. */
export function publishedBytes(path: string): Uint8Array {
  const bytes = readFileSync(path);
  return new Uint8Array(path.endsWith('.gz') ? gunzipSync(bytes) : bytes);
}
