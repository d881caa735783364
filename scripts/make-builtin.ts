// Regenerates public/builtin/archive.json from ../shared/archives: the seed
// post (NodeBE4/teahouse) and a real, deterministic sample of NodeBE4/society.
// Run with `npm run make-builtin`; the output is committed so that a build
// never depends on files outside the repository.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { postPath } from '../src/core/archive-files';
import type { BuiltinArchive } from '../src/core/builtin';
import { parsePost } from '../src/core/post';
import { readTar } from '../src/core/tar';

const shared = resolve(import.meta.dirname, '../../shared');
const out = resolve(import.meta.dirname, '../public/builtin/archive.json');
// The commit the society tarball was taken at: file links point at it, so
// they stay right after the posts move.
const SOCIETY_COMMIT = '92a724784b4266a7d46cd383054ab83ec2eed818';
const EVERY_NTH = 60;
const HISTORY_VIDEOS = 40;

const seedText = readFileSync(`${shared}/seed/000_a3f343768841242c.txt`, 'utf8');
const seed = parsePost(seedText, 'seed.md');
if (!seed.ok) throw new Error(seed.error.message);
// The generator's file name: date, then the first 50 UTF-16 units of the title, `/` → `--`.
const seedPath = `archived/2025-02-02/2025-02-02-${seed.post.title.slice(0, 50).replaceAll('/', '--')}.md`;

const society: { path: string; text: string }[] = [];
const gunzip = createReadStream(`${shared}/archives/society-posts.tar.gz`).pipe(createGunzip());
for await (const entry of readTar(gunzip as AsyncIterable<Uint8Array>)) {
  const path = entry.data && postPath(entry.path);
  if (path) society.push({ path, text: new TextDecoder().decode(entry.data!) });
}
society.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

// Every Nth post, plus every post of some videos that have several posts, so
// the sample shows a video's history (retitled, re-dated, stale twins).
const byVideo = new Map<string, { files: number[]; ids: Set<string> }>();
society.forEach((file, i) => {
  const parsed = parsePost(file.text, file.path);
  if (!parsed.ok || !parsed.post.videoId) return;
  const entry = byVideo.get(parsed.post.videoId) ?? { files: [], ids: new Set() };
  entry.files.push(i);
  entry.ids.add(parsed.post.id);
  byVideo.set(parsed.post.videoId, entry);
});
const chosen = new Set<number>();
for (let i = 0; i < society.length; i += EVERY_NTH) chosen.add(i);
// Videos with really different versions (not only stale twins).
[...byVideo.values()]
  .filter((v) => v.ids.size > 1)
  .slice(0, HISTORY_VIDEOS)
  .forEach((v) => v.files.forEach((i) => chosen.add(i)));

const archive: BuiltinArchive = {
  version: 1,
  sources: [
    {
      id: 'builtin:NodeBE4/teahouse',
      name: 'NodeBE4/teahouse',
      repo: { owner: 'NodeBE4', name: 'teahouse', branch: 'master' },
      config: readFileSync(`${shared}/archives/config/NodeBE4-teahouse/_config.yml`, 'utf8'),
    },
    {
      id: 'builtin:NodeBE4/society',
      name: 'NodeBE4/society',
      repo: { owner: 'NodeBE4', name: 'society', branch: SOCIETY_COMMIT },
      config: readFileSync(`${shared}/archives/config/NodeBE4-society/_config.yml`, 'utf8'),
    },
  ],
  files: [
    { source: 'builtin:NodeBE4/teahouse', path: seedPath, text: seedText },
    ...[...chosen].sort((a, b) => a - b).map((i) => ({ source: 'builtin:NodeBE4/society', ...society[i]! })),
  ],
};
writeFileSync(out, `${JSON.stringify(archive)}\n`);
console.log(`${out}: ${archive.files.length} posts, ${(JSON.stringify(archive).length / 1024).toFixed(0)} KiB`);
