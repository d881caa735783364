// `archive-lens bundle <folder | .tar.gz> -o archive.ndjson.gz`: writes an
// archive as one static bundle file that ArchiveLens can sync from any URL.
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { decodePostBytes } from '../core/archive-files';
import { bundleHeader, bundleLine } from '../core/bundle';
import { parseRepoInput } from '../core/github';
import { parseSiteConfig, type ArchiveRepo, type SiteConfig } from '../core/site';
import { readArchive } from './read-archive';

export interface BundleOptions {
  input: string;
  output: string;
  name?: string;
  repo?: string;
}

export async function writeBundle(options: BundleOptions): Promise<{ files: number; skipped: string[] }> {
  const files: { path: string; text: string }[] = [];
  const skipped: string[] = [];
  let site: SiteConfig | null = null;
  for await (const file of readArchive(options.input, { withConfig: true })) {
    const decoded = decodePostBytes(file.bytes);
    if (file.path === '_config.yml') {
      if (decoded.ok) site = parseSiteConfig(decoded.text);
      continue;
    }
    if (decoded.ok) files.push({ path: file.path, text: decoded.text });
    else skipped.push(file.path);
  }
  const repo = repoOption(options.repo);
  const name = options.name ?? (repo ? `${repo.owner}/${repo.name}` : basename(options.input).replace(/\.(tar\.gz|tgz|tar)$/, ''));
  async function* lines() {
    yield bundleHeader({ name, repo, site, files: files.length, createdAt: new Date().toISOString() });
    for (const file of files) yield bundleLine(file);
  }
  await pipeline(Readable.from(lines()), createGzip({ level: 9 }), createWriteStream(options.output));
  return { files: files.length, skipped };
}

/** `--repo owner/name[@branch]`: the repository an archive's posts come from, for "file in the archive" links. */
export function repoOption(input: string | undefined): ArchiveRepo | null {
  if (!input) return null;
  const [name, branch] = input.split('@');
  const parsed = parseRepoInput(name ?? '');
  if (!parsed) throw new Error(`--repo ${input}: expected owner/name or owner/name@branch`);
  return { owner: parsed.owner, name: parsed.repo, branch: branch || parsed.branch || 'HEAD' };
}
