// Node-side reading of an archive on disk: a cloned folder or a `.tar.gz`
// (as `tar -czf` or GitHub's tarball download writes it).
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { isSiteConfigPath, postPath } from '../core/archive-files';
import { readTar } from '../core/tar';

export interface ArchiveFile {
  path: string;
  bytes: Uint8Array;
}

export interface ReadOptions {
  /** Also yield the repository's `_config.yml` (as path `_config.yml`). */
  withConfig?: boolean;
}

function pathOf(raw: string, options: ReadOptions): string | null {
  if (options.withConfig && isSiteConfigPath(raw)) return '_config.yml';
  return postPath(raw);
}

export async function* readArchive(location: string, options: ReadOptions = {}): AsyncGenerator<ArchiveFile> {
  const info = await stat(location);
  if (info.isDirectory()) yield* readFolder(location, options);
  else if (/\.(tar\.gz|tgz|tar)$/i.test(location)) yield* readTarball(location, options);
  else throw new Error(`${location}: expected a folder, a .tar.gz or a .tar`);
}

/** Files read at once from a folder: one at a time, 489,000 small files took minutes. */
const READ_AHEAD = 64;

async function* readFolder(root: string, options: ReadOptions): AsyncGenerator<ArchiveFile> {
  const files: { path: string; file: string }[] = [];
  for (const file of (await walk(root, '')).sort()) {
    const path = pathOf(file, options);
    if (path) files.push({ path, file });
  }
  for (let i = 0; i < files.length; i += READ_AHEAD) {
    const batch = files.slice(i, i + READ_AHEAD);
    const contents = await Promise.all(batch.map((f) => readFile(join(root, f.file))));
    for (const [k, f] of batch.entries()) yield { path: f.path, bytes: contents[k]! };
  }
}

/**
 * Every file under a folder, by its path from the root, past hidden folders
 * (`.git` holds an object per file of the archive; a workflow's checkout of
 * the tool sits in `.archivelens`) and `node_modules`.
 */
async function walk(root: string, under: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(join(root, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') await walk(root, path, out);
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
  return out;
}

async function* readTarball(file: string, options: ReadOptions): AsyncGenerator<ArchiveFile> {
  const stream = createReadStream(file);
  const source = /\.tar$/i.test(file) ? stream : stream.pipe(createGunzip());
  for await (const entry of readTar(source as AsyncIterable<Uint8Array>)) {
    const path = entry.type === 'file' ? pathOf(entry.path, options) : null;
    if (path && entry.data) yield { path, bytes: entry.data };
  }
}
