// Where a search's time goes at 8× society (≈122,000 posts, fake-indexeddb):
// `npx tsx scripts/probe/search-profile.ts` (Q='a,b' picks the queries) prints
// each query's mean time and the functions with the most self time, and
// writes /tmp/search.cpuprofile for DevTools.
import 'fake-indexeddb/auto';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { decodePostBytes, postPath } from '../../src/core/archive-files';
import { parsePost, type Post } from '../../src/core/post';
import { readTar } from '../../src/core/tar';
import { importPosts } from '../../src/db/import';
import { searchPosts } from '../../src/db/search';
import { ensureSearchIndex } from '../../src/db/search-index';
import { openArchive } from '../../src/db/schema';
import { SOCIETY_TARBALL } from '../../test/support/archives';
import { derivedVideoId } from '../../test/support/git-archive-repo';
const posts: Post[] = [];
for await (const entry of readTar(createReadStream(SOCIETY_TARBALL).pipe(createGunzip()) as any)) {
  const path = entry.data && postPath(entry.path); if (!path) continue;
  const text = decodePostBytes(entry.data!); if (!text.ok) continue;
  const r = parsePost(text.text, path); if (r.ok) posts.push(r.post);
}
const copies = 8;
const scaled = (post: Post, k: number): Post => ({ ...post, id: `${post.id}~${k}`, videoId: post.videoId ? derivedVideoId(post.videoId, k) : null, path: `archived/copy-${k}/${post.path}`, mentions: post.mentions.map((m) => derivedVideoId(m, k)) } as any);
const all = Array.from({ length: copies }, (_, k) => (k === 0 ? posts : posts.map((p) => scaled(p, k)))).flat();
const db = openArchive('prof'); await db.open();
await db.sources.put({ id: 'society', kind: 'file', name: 'society', repo: null, site: null, postCount: 0, failureCount: 0, importedAt: 0, gen: 0 } as any);
await importPosts(db, 'society', all); await ensureSearchIndex(db, 'society');
const Q = (process.env.Q ?? '罗宾,的,tag:罗宾,中國 經濟').split(',');
for (const q of Q) await searchPosts(db, q);
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 100 }); await s.post('Profiler.start');
for (const q of Q) { const t = performance.now(); for (let i = 0; i < 20; i++) await searchPosts(db, q); console.log(q, ((performance.now() - t) / 20).toFixed(1), 'ms'); }
const { profile } = await s.post('Profiler.stop'); writeFileSync('/tmp/search.cpuprofile', JSON.stringify(profile));
// summarise self time
const self = new Map<string, number>(); const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas ?? []; const samples = profile.samples ?? []; for (let i = 0; i < samples.length; i++) { const n: any = byId.get(samples[i]); const k = `${n.callFrame.functionName||'(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)); }
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms ${k}`).join('\n'));
