// Searching the real built-in archive (the seed and 337 NodeBE4/society posts)
// the way a reader types: in either Chinese script, with filters.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { openArchive, type ArchiveDb, type PostRecord } from './schema';
import { searchPosts } from './queries';

const builtin = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/builtin/archive.json'), 'utf8')) as BuiltinArchive;
// OpenCC's own phrase-aware converters, independent of the character table search folds with.
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

let db: ArchiveDb;
let posts: PostRecord[];
beforeAll(async () => {
  db = openArchive('search-builtin');
  await importBuiltinArchive(db, builtin);
  posts = await db.posts.toArray();
});

/** Four CJK characters from the middle of a title, where it has them. */
function pieceOf(title: string): string | null {
  const runs = title.match(/[\u3400-\u9fff]{4,}/g);
  if (!runs) return null;
  const run = runs.sort((a, b) => b.length - a.length)[0]!;
  const at = Math.floor((run.length - 4) / 2);
  return run.slice(at, at + 4);
}

describe('search over the built-in archive', () => {
  it('finds 25 of 25 titles from a piece typed in the other script', async () => {
    const cases = posts
      .map((p) => ({ post: p, piece: pieceOf(p.title) }))
      .filter((c): c is { post: PostRecord; piece: string } => c.piece !== null)
      .map((c) => {
        const other = toTraditional(c.piece) !== c.piece ? toTraditional(c.piece) : toSimplified(c.piece);
        return { ...c, query: other };
      })
      .filter((c) => c.query !== c.piece)
      .slice(0, 25);
    expect(cases).toHaveLength(25);
    for (const c of cases) {
      const { posts: found } = await searchPosts(db, c.query, 200);
      expect(found.map((p) => p.key), `${c.query} for ${c.post.title}`).toContain(c.post.key);
      // The result shows where it matched, in the title as written.
      const hit = found.find((p) => p.key === c.post.key)!;
      expect(hit.matches!.title.length).toBeGreaterThan(0);
    }
  });

  it('puts title matches first and narrows by channel and date', async () => {
    const seedQuery = await searchPosts(db, '深度求索');
    expect(seedQuery.posts[0]!.videoId).toBe('-VWLP6-06Jc');
    const channel = posts.find((p) => p.channel && p.channel !== '老楊到處說')!.channel;
    const byChannel = await searchPosts(db, `channel:${toSimplified(channel)}`, 200);
    expect(byChannel.total).toBe(posts.filter((p) => p.channel === channel).length);
    const month = posts[0]!.date.slice(0, 7);
    const byMonth = await searchPosts(db, month, 500);
    expect(byMonth.total).toBe(posts.filter((p) => p.date.startsWith(month)).length);
  });
});
