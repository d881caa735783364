// Node-side reading of an archive on disk: a cloned folder or a `.tar.gz`
// (as `tar -czf` or GitHub's tarball download writes it).
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
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

async function* readFolder(root: string, options: ReadOptions): AsyncGenerator<ArchiveFile> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
  for (const file of files) {
    const path = pathOf(file, options);
    if (path) yield { path, bytes: await readFile(join(root, file)) };
  }
}

async function* readTarball(file: string, options: ReadOptions): AsyncGenerator<ArchiveFile> {
  const stream = createReadStream(file);
  const source = /\.tar$/i.test(file) ? stream : stream.pipe(createGunzip());
  for await (const entry of readTar(source as AsyncIterable<Uint8Array>)) {
    const path = entry.type === 'file' ? pathOf(entry.path, options) : null;
    if (path && entry.data) yield { path, bytes: entry.data };
  }
}
