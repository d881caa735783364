// For each of society's 12 largest channels: the share of its posts whose
// first 120 visible characters (what the panel shows before the channel's
// folded usual text) are still the channel's usual text: text that opens at
// least 1 % of the channel's posts once the usual text is folded away.
// Run: npx tsx scripts/boilerplate-shares.ts   (at any commit: it reads either shape of Boilerplate)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as boilerplate from '../src/core/boilerplate';
import { parsePost, type Post } from '../src/core/post';
import { extractedSociety, listFiles } from '../test/support/archives';

type Any = { header?: string; footer?: string; headers?: string[]; footers?: string[] };
const headersOf = (b: Any) => b.headers ?? (b.header ? [b.header] : []);
const asBoilerplate = (b: Any) => b as unknown as Parameters<typeof boilerplate.foldBoilerplate>[1];

const root = extractedSociety();
const byChannel = new Map<string, Post[]>();
for (const path of listFiles(root).filter((f) => f.endsWith('.md'))) {
  const r = parsePost(readFileSync(join(root, path), 'utf8'), path);
  if (r.ok) byChannel.set(r.post.channel, [...(byChannel.get(r.post.channel) ?? []), r.post]);
}
/** What the product samples: the newest 200 before; up to 600 spread over every era now. */
const sampleOf = (posts: Post[]) => {
  const newestFirst = [...posts].sort((a, b) => b.date.localeCompare(a.date));
  if (!('headers' in (boilerplate.findBoilerplate([]) as Any))) return newestFirst.slice(0, 200);
  return newestFirst.length <= 600 ? newestFirst : Array.from({ length: 600 }, (_, i) => newestFirst[Math.floor((i * newestFirst.length) / 600)]!);
};
for (const [channel, posts] of [...byChannel].sort((a, b) => b[1].length - a[1].length).slice(0, 12)) {
  const found = boilerplate.findBoilerplate(sampleOf(posts).map((p) => p.summary)) as Any;
  // What a reader sees first of each post once the usual text is folded away; an opening is
  // still the channel's usual text when its first 40 characters open at least 1 % of the channel's posts (and 3).
  const openings = posts.map((post) => boilerplate.foldBoilerplate(post.summary, asBoilerplate(found)).main.replace(/\s+/g, ' ').trimStart().slice(0, 120));
  const counts = new Map<string, number>();
  for (const opening of openings) if (opening.length >= 40) counts.set(opening.slice(0, 40), (counts.get(opening.slice(0, 40)) ?? 0) + 1);
  const recurring = Math.max(3, Math.ceil(posts.length * 0.01));
  const usual = openings.filter((o) => o.length >= 40 && counts.get(o.slice(0, 40))! >= recurring).length;
  console.log(`${channel.padEnd(24)} ${String(posts.length).padStart(5)} posts: ${(100 * usual / posts.length).toFixed(1).padStart(5)} % open with usual text (openings found: ${headersOf(found).length}, closings: ${(found.footers ?? (found.footer ? [found.footer] : [])).length})`);
}
