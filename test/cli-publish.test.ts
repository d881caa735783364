// `archive-lens publish`: society's published index, read back as the
// extension will read it (a shard by the hash of the video id).
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli';
import { Membership } from '../src/core/membership';
import { parsePost } from '../src/core/post';
import { shardOf, type LookupShard, type PublishedManifest } from '../src/core/published';
import { listFiles, publishedText, SOCIETY_TARBALL, extractedSociety, seedText } from './support/archives';
import { FACETS_FILE, META_FILE, readMeta, searchPublished } from '../src/core/published-search';
import { parseQuery } from '../src/core/search';
import { segmentsIn } from './support/published';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'archive-lens-publish-'));
  dirs.push(dir);
  return dir;
};

const run = runCli;

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as PublishedManifest;
const shard = (dir: string, videoId: string) => {
  const m = manifestOf(dir);
  return JSON.parse(publishedText(join(dir, 'lookup', `${shardOf(videoId, m.shardBits)}.json.gz`))) as LookupShard;
};

describe('archive-lens publish', () => {
  it("writes society's index: a shard per hash prefix holding each video's posts, and the filter of archived videos", async () => {
    const out = temp();
    const { code, out: said } = await run('publish', SOCIETY_TARBALL, '--out', out, '--repo', 'NodeBE4/society');
    expect(code).toBe(0);
    const manifest = manifestOf(out);
    expect(manifest).toMatchObject({ format: 'archivelens-index', version: 1, name: 'NodeBE4/society', posts: 15146, shardBits: 9 });
    expect(said).toContain(`published 15146 posts of ${manifest.videos} videos`);
    // 512 shards of about 29 videos each: a visit hides among them.
    const shards = readdirSync(join(out, 'lookup'));
    expect(shards).toHaveLength(512);
    let videos = 0;
    for (const name of shards) {
      const content = JSON.parse(publishedText(join(out, 'lookup', name))) as LookupShard;
      for (const id of Object.keys(content.videos)) expect(`${shardOf(id, 9)}.json.gz`).toBe(name);
      videos += Object.keys(content.videos).length;
    }
    expect(videos).toBe(manifest.videos);
    // A video's posts, as the extension parses them.
    const posts = shard(out, 'GorsYGIeIK4').videos.GorsYGIeIK4!;
    const parsed = parsePost(posts[0]!.text, posts[0]!.path);
    expect(parsed.ok && parsed.post.videoId).toBe('GorsYGIeIK4');
    const inFirstShard = Object.entries(JSON.parse(publishedText(join(out, 'lookup', shards[0]!))).videos as LookupShard['videos']);
    expect(inFirstShard.length).toBeGreaterThan(10);
    // The filter says yes for every archived video.
    const members = Membership.from({ bits: manifest.memberBits, data: readFileSync(join(out, 'members.bin')).toString('base64') });
    for (const [id] of inFirstShard) expect(members.mayHold(id)).toBe(true);
  });

  it('names shards by the leading bits of SHA-256 of the video id, never the id', () => {
    const hex = createHash('sha256').update('GorsYGIeIK4').digest('hex');
    expect(shardOf('GorsYGIeIK4', 12)).toBe(hex.slice(0, 3));
    // 9 bits: three hex digits, the last one's lowest three bits cleared.
    expect(shardOf('GorsYGIeIK4', 9)).toBe((parseInt(hex.slice(0, 3), 16) & 0xff8).toString(16).padStart(3, '0'));
  });

  it('gives the same bytes for the same posts, and rewrites only what a day of the archive job changed', async () => {
    const archive = temp();
    // Society's recent posts (_posts/, 628 files) keep the test short.
    cpSync(join(extractedSociety(), '_posts'), join(archive, '_posts'), { recursive: true });
    const out = temp();
    const once = await run('publish', archive, '--out', out);
    expect(once.code).toBe(0);
    const files = Number(/: (\d+) files/.exec(once.out)![1]);
    const searchFiles = listFiles(join(out, 'search')).length;
    // The shards, the manifest, the filters of archived and of mentioned videos, and search.
    expect(files).toBe(2 ** manifestOf(out).shardBits + 2 + (manifestOf(out).mentionBits ? 1 : 0) + searchFiles);
    const first = manifestOf(out);
    const again = await run('publish', archive, '--out', out);
    expect(again.out).toContain(`: ${files} files`);
    expect(again.out).toContain(`(0 written, ${files} unchanged, 0 removed)`);
    expect(manifestOf(out).build).toBe(first.build);

    // A new video's post, and an edit of an archived one.
    const edited = readdirSync(join(archive, '_posts')).find((f) => f.endsWith('.md'))!;
    const text = readFileSync(join(archive, '_posts', edited), 'utf8');
    writeFileSync(join(archive, '_posts', edited), text.replace(/^title: (.*)$/m, 'title: $1 (edited)'));
    writeFileSync(join(archive, '_posts', '2026-11-28-new.md'), seedText().replace(/v=[\w-]{11}/g, 'v=NEWVIDEO001'));
    const stamp = (dir: string) => new Map(listFiles(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
    const before = stamp(out);
    await new Promise((r) => setTimeout(r, 20));
    const day = await run('publish', archive, '--out', out);
    expect(day.code).toBe(0);
    const rewritten = [...stamp(out)].filter(([f, t]) => before.get(f) !== t).map(([f]) => f);
    // Of the lookup: the two shards, the filter and the manifest.
    expect(rewritten.filter((f) => !f.startsWith('search/')).length).toBeGreaterThanOrEqual(3);
    expect(rewritten.filter((f) => !f.startsWith('search/')).length).toBeLessThanOrEqual(4);
    // Of search: the meta and facets files, and a new segment of the two posts; the base segment is kept as it was.
    const [base, added] = readMeta(publishedText(join(out, META_FILE)))!.segments;
    expect(added!.posts).toBe(2);
    expect(base!.gone).toHaveLength(1);
    expect(rewritten.filter((f) => f.startsWith(`search/${base!.id}/`))).toEqual([]);
    expect(rewritten.filter((f) => f.startsWith('search/') && !f.startsWith(`search/${added!.id}/`)).sort()).toEqual([FACETS_FILE, META_FILE]);
    expect(Number(/: (\d+) files/.exec(day.out)![1])).toBeGreaterThan(files);
    // Searched, the new post is found and the edited one once, as it is now.
    const segments = segmentsIn(out);
    expect((await searchPublished(parseQuery('围绕深度求索'), segments, 5)).hits.map((h) => h.doc.videoId)).toEqual(['NEWVIDEO001']);
    const editedTitle = /^title: "?(.*?)"?$/m.exec(text)![1]!;
    const versions = await searchPublished(parseQuery(`"${editedTitle.slice(0, 12)}"`), segments, 10);
    expect(versions.hits.filter((h) => h.doc.path === `_posts/${edited}`).map((h) => h.segment)).toEqual([added!.id]);

    // Past a tenth of the base, the index is written again as one segment.
    for (const name of readdirSync(join(archive, '_posts')).slice(0, 80)) rmSync(join(archive, '_posts', name));
    await run('publish', archive, '--out', out);
    expect(readMeta(publishedText(join(out, META_FILE)))!.segments).toHaveLength(1);
    expect(readdirSync(join(out, 'search')).filter((f) => !f.endsWith('.gz'))).toHaveLength(1);
    expect(manifestOf(out).build).not.toBe(first.build);
    expect(shard(out, 'NEWVIDEO001').videos.NEWVIDEO001).toHaveLength(1);
  });
});
