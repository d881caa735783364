// Searching the real built-in archive (the seed and 337 NodeBE4/society posts)
// the way a reader types: in either Chinese script, with filters.
import { storedPosts } from '../../test/support/stored-posts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as OpenCC from 'opencc-js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { openArchive, type ArchiveDb, type PostRecord } from './schema';
import { browsePosts, readySearch, searchHits, searchLimits, searchPosts } from './search';
import { libraryOverview } from './library';
import { putPosts } from './post-store';
import { byRelevance, parseQuery, scorePost } from '../core/search';
import { excerpt, highlightRanges } from '../core/highlight';

const builtin = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/builtin/archive.json'), 'utf8')) as BuiltinArchive;
// OpenCC's own phrase-aware converters, independent of the character table search folds with.
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

let db: ArchiveDb;
let posts: PostRecord[];
beforeAll(async () => {
  db = openArchive('search-builtin');
  await importBuiltinArchive(db, builtin);
  posts = await storedPosts(db);
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

  it('answers from its index with the posts, order and count a reading of every post gives', async () => {
    expect((await db.sources.toArray()).every((s) => s.searchIndex?.gen === (s.gen ?? 0))).toBe(true);
    const queries = ['罗宾', '羅賓 疫苗', '美国', '"深度求索"', 'deepseek', '中国 2024', 'tag:美國', '的', 'channel:老杨 ai', 'covid 疫苗', '习近平'];
    for (const input of queries) {
      const query = parseQuery(input);
      const expected = posts
        .flatMap((post) => {
          const score = scorePost(post, query);
          return score === null ? [] : [{ score, time: post.time, key: post.key }];
        })
        .sort((a, b) => byRelevance(a, b) || (a.key < b.key ? -1 : 1));
      const answer = await searchPosts(db, input, 20);
      expect(answer.total, input).toBe(expected.length);
      // The same posts in the same order, up to ties of score and time.
      const tie = (k: string) => expected.find((e) => e.key === k)!;
      expect(answer.posts.map((p) => [tie(p.key).score, tie(p.key).time]), input).toEqual(expected.slice(0, 20).map((e) => [e.score, e.time]));
    }
  });

  it('gives the same posts and count keeping a few candidates as keeping them all, and reads them all when the few fall short', async () => {
    // 的中国 and 一个中国: candidates whose grams are apart in the text, so some of those kept are no match.
    const queries = ['罗宾', '羅賓 疫苗', '"深度求索"', '中国 2024', 'tag:美國', '的', 'channel:老杨 ai', 'covid 疫苗', '的中国', '一个中国', '2024-05'];
    const answers = async (keptPages: number) => {
      searchLimits.keptPages = keptPages;
      const all: Record<string, unknown> = {};
      for (const input of queries) {
        for (let limit = 1; limit <= 5; limit++) {
          const { posts: found, total, approximate } = await searchPosts(db, input, limit);
          all[`${input} ${limit}`] = { keys: found.map((p) => p.key), total, approximate };
        }
      }
      return all;
    };
    try {
      const whole = await answers(Infinity);
      // Four pages kept, as searches do; and one candidate kept, which runs out whenever it is no match.
      expect(await answers(4)).toEqual(whole);
      expect(await answers(0)).toEqual(whole);
      for (const input of queries) {
        const query = parseQuery(input);
        const expected = posts.flatMap((post) => {
          const score = scorePost(post, query);
          return score === null ? [] : [{ score, time: post.time, key: post.key }];
        }).sort(byRelevance);
        const { keys, total, approximate } = whole[`${input} 5`] as { keys: string[]; total: number; approximate?: boolean };
        // The same posts in the same order, up to ties of score and time.
        const tie = (k: string) => expected.find((e) => e.key === k)!;
        expect(keys.map((k) => [tie(k).score, tie(k).time]), input).toEqual(expected.slice(0, 5).map((e) => [e.score, e.time]));
        if (approximate) expect(total, input).toBeGreaterThanOrEqual(expected.length);
        else expect(total, input).toBe(expected.length);
      }
    } finally {
      searchLimits.keptPages = 4;
    }
  });

  it('asks for more than one Latin letter, but answers one Chinese character', async () => {
    expect(await searchPosts(db, 'a')).toMatchObject({ posts: [], tooShort: true });
    expect((await searchPosts(db, '罗')).total).toBeGreaterThan(0);
  });

  it('puts title matches first and narrows by channel and date', async () => {
    const seedQuery = await searchPosts(db, '深度求索');
    expect(seedQuery.posts[0]!.videoId).toBe('-VWLP6-06Jc');
    const channel = posts.find((p) => p.channel && p.channel !== '老楊到處說')!.channel;
    const byChannel = await searchPosts(db, `channel:${toSimplified(channel)}`, 200);
    expect(byChannel.total).toBe(posts.filter((p) => p.channel === channel).length);
    // The oldest, a middle and the newest month: each holds its posts and no others.
    const months = [...new Set(posts.map((p) => new Date(p.time).toISOString().slice(0, 7)))].sort();
    for (const month of [months[0]!, months[Math.floor(months.length / 2)]!, months.at(-1)!]) {
      // A page of one: the total is counted, not read.
      const byMonth = await searchPosts(db, month, 1);
      expect(byMonth.total, month).toBe(posts.filter((p) => new Date(p.time).toISOString().startsWith(month)).length);
      expect(byMonth.posts.every((p) => new Date(p.date).toISOString().startsWith(month)), month).toBe(true);
    }
  });
});

describe('posts changed since the index was built', () => {
  it('answers with what a changed post says now, as reading every post would', async () => {
    const changedDb = openArchive('search-changed');
    await importBuiltinArchive(changedDb, builtin);
    const before = await storedPosts(changedDb);
    const retitled = before.find((p) => pieceOf(p.title) && p.summary.includes('的'))!;
    const emptied = before.find((p) => p !== retitled && pieceOf(p.title) && p.title.includes('的'))!;
    const oldPiece = pieceOf(emptied.title)!;
    // An async scope, as the archive's own writers have: Dexie follows a native await in it (db/post-store.ts).
    await changedDb.transaction('rw', changedDb.posts, async () => {
      await putPosts(changedDb, [
        { ...retitled, title: `zqxjv ${retitled.title}` },
        { ...emptied, title: 'Untitled', summary: 'nothing here', tags: [] },
      ]);
    });
    for (const source of await changedDb.sources.toArray()) {
      const keys = [retitled.key, emptied.key].filter((k) => k.startsWith(`${source.id}|`));
      if (keys.length) await changedDb.sources.update(source.id, { searchIndex: { ...source.searchIndex!, changed: keys } });
    }
    const now = await storedPosts(changedDb);
    for (const input of ['zqxjv', oldPiece, '的', '罗宾', 'nothing', '2024-05', '2024-05 的']) {
      const query = parseQuery(input);
      const expected = now
        .flatMap((post) => {
          const score = scorePost(post, query);
          return score === null ? [] : [{ score, time: post.time, key: post.key }];
        })
        .sort(byRelevance);
      for (const keep of [4, Infinity]) {
        searchLimits.keptPages = keep;
        const answer = await searchPosts(changedDb, input, 20);
        searchLimits.keptPages = 4;
        expect(answer.total, input).toBe(expected.length);
        const tie = (k: string) => expected.find((e) => e.key === k);
        expect(answer.posts.map((p) => [tie(p.key)?.score, tie(p.key)?.time]), input).toEqual(expected.slice(0, 20).map((e) => [e.score, e.time]));
      }
    }
    expect((await searchPosts(changedDb, 'zqxjv')).posts.map((p) => p.key)).toEqual([retitled.key]);
    expect((await searchPosts(changedDb, oldPiece, 200)).posts.map((p) => p.key)).not.toContain(emptied.key);
  });
});

describe('what each result shows', () => {
  it('marks the query in the title and the excerpt as reading the whole text would', async () => {
    // The index tells which posts hold no term in their text; those skip the search of it, and must lose nothing.
    let opening = 0;
    let around = 0;
    for (const input of ['疫苗', '美国', '中共', '罗宾', 'covid', '深度求索', '俄 乌', 'a 美国']) {
      const terms = parseQuery(input).terms;
      for (const post of (await searchPosts(db, input, 200)).posts) {
        const full = posts.find((p) => p.key === post.key)!;
        expect(post.matches!.title, `${input}: ${post.title}`).toEqual(highlightRanges(full.title, terms));
        expect(post.matches!.excerpt, `${input}: ${post.title}`).toEqual(excerpt(full.summary, terms));
        if (post.matches!.excerpt.ranges.length) around++;
        else opening++;
      }
    }
    expect(opening).toBeGreaterThan(0);
    expect(around).toBeGreaterThan(0);
  });
});

describe('the library over the built-in archive', () => {
  it('counts channels, months and tags once, and they add up to the posts', async () => {
    const overview = await libraryOverview(db);
    expect(overview.posts).toBe(posts.length);
    expect(overview.channels.reduce((n, [, c]) => n + c, 0)).toBe(posts.length);
    expect(overview.months.reduce((n, [, c]) => n + c, 0)).toBe(posts.length);
    const month = overview.months[0]![0];
    expect(overview.months.map(([m]) => m)).toEqual([...overview.months.map(([m]) => m)].sort().reverse());
    expect(overview.months[0]![1]).toBe(posts.filter((p) => new Date(p.time).toISOString().startsWith(month)).length);
  });

  it('lists every post newest first, a page at a time, each once', async () => {
    const seen: string[] = [];
    let times: number[] = [];
    for (let offset = 0; offset < posts.length; offset += 100) {
      const page = await browsePosts(db, '', offset, 100);
      expect(page.total).toBe(posts.length);
      seen.push(...page.posts.map((p) => p.key));
      times = times.concat(page.posts.map((p) => Date.parse(p.date)));
    }
    expect(new Set(seen).size).toBe(posts.length);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('lists a channel or a query as search ranks it', async () => {
    const [channel, count] = (await libraryOverview(db)).channels[0]!;
    const byChannel = await browsePosts(db, `channel:"${channel}"`, 0, 200);
    expect(byChannel.total).toBe(count);
    expect(byChannel.posts.every((p) => p.channel === channel || p.author === channel)).toBe(true);
    const searched = await searchPosts(db, '美国', 20);
    const browsed = await browsePosts(db, '美国', 0, 20);
    expect(browsed.total).toBe(searched.total);
    expect(browsed.posts.map((p) => p.key)).toEqual(searched.posts.map((p) => p.key));
  });
});

describe('search made ready ahead', () => {
  it('reads the list of indexed posts before the first query, so that query reads only its rows', async () => {
    const fresh = openArchive('search-warm');
    await importBuiltinArchive(fresh, builtin);
    await readySearch(fresh, true);
    const docsRead = vi.spyOn(fresh.searchDocs, 'get');
    const answer = await searchPosts(fresh, '深度求索');
    expect(answer.posts[0]!.videoId).toBe('-VWLP6-06Jc');
    expect(docsRead).not.toHaveBeenCalled();
  });

  it('stops its warm-up queries when a reader asks meanwhile, and runs them next time', async () => {
    const fresh = openArchive('search-warm-yield');
    await importBuiltinArchive(fresh, builtin);
    const rowsRead = vi.spyOn(fresh.searchBuckets, 'bulkGet');
    await readySearch(fresh, true, () => true);
    // The list of posts is read; no query ran, so no row of grams.
    expect(rowsRead).not.toHaveBeenCalled();
    await readySearch(fresh, true);
    expect(rowsRead).toHaveBeenCalled();
  });

  it('runs one warm-up at a time: pages that open meanwhile join it, and a change heard meanwhile runs one more after it', async () => {
    const fresh = openArchive('search-warm-once');
    await importBuiltinArchive(fresh, builtin);
    // Each warm-up asks before each of its queries whether a reader waits: the calls count the queries it runs.
    let asked = 0;
    const waiting = () => (asked++, false);
    await readySearch(fresh, true, waiting);
    const queries = asked;
    expect(queries).toBeGreaterThan(0);
    asked = 0;
    // A change, and three pages opening at once (each asks for stats): one warm-up.
    await Promise.all([readySearch(fresh, true, waiting), readySearch(fresh, false, waiting), readySearch(fresh, false, waiting), readySearch(fresh, false, waiting)]);
    expect(asked).toBe(queries);
    asked = 0;
    // Three changes heard at once: the one running, and one more after it.
    await Promise.all([readySearch(fresh, true, waiting), readySearch(fresh, true, waiting), readySearch(fresh, true, waiting)]);
    expect(asked).toBe(2 * queries);
  });
});

describe('what the popup is sent', () => {
  it('each result without its text, with the excerpt around the match', async () => {
    const full = await searchPosts(db, '疫苗', 30);
    const hits = await searchHits(db, '疫苗', 30);
    expect(hits.total).toBe(full.total);
    expect(hits.posts.map((p) => p.key)).toEqual(full.posts.map((p) => p.key));
    expect(hits.posts.some((p) => 'summary' in p)).toBe(false);
    const inText = full.posts.findIndex((p) => p.matches!.title.length === 0);
    expect(inText).toBeGreaterThanOrEqual(0);
    expect(hits.posts[inText]!.matches!.excerpt.ranges.length).toBeGreaterThan(0);
  });
});
