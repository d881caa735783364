import { readFileSync } from 'node:fs';
import { storedPosts } from '../../test/support/stored-posts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importBuiltinArchive } from '../background/archive';
import type { BuiltinArchive } from '../core/builtin';
import { foldPosts } from '../shared/boilerplate';
import { ChannelBoilerplate, usualTextIn, usualTextLimits, usualTextOf, type UsualTextAsk } from './boilerplate';
import { usualTextInWorkers } from '../background/usual-text-host';
import { ensureSearchIndex } from './search-index';
import { lookupVideo } from './queries';
import { searchHits } from './search';
import { foldBoilerplate } from '../core/boilerplate';
import { nameFilter } from '../core/name-filter';
import { openArchive, type ArchiveDb } from './schema';

const builtin = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/builtin/archive.json'), 'utf8')) as BuiltinArchive;

let db: ArchiveDb;
beforeAll(async () => {
  db = openArchive('boilerplate-test');
  await importBuiltinArchive(db, builtin);
  for (const source of await db.sources.toArray()) await ensureSearchIndex(db, source.id);
});
afterAll(async () => {
  await db.delete();
});

describe("the channel's usual text, for the posts a lookup shows", () => {
  it("is found from the channel's posts through the index, and marked on the post without changing its text", async () => {
    const all = await storedPosts(db);
    const counts = new Map<string, number>();
    for (const p of all) counts.set(p.channel, (counts.get(p.channel) ?? 0) + 1);
    const boilerplate = new ChannelBoilerplate(db);
    let folded = 0;
    for (const [channel] of [...counts].filter(([, n]) => n >= 10)) {
      const post = all.find((p) => p.channel === channel && p.videoId)!;
      const [view] = foldPosts((await lookupVideo(db, post.videoId!)).archived, { [channel]: await boilerplate.get(channel) });
      if (!view?.folded) continue;
      folded++;
      expect(view.summary).toBe(post.summary);
      expect(view.summary.startsWith(view.folded.header)).toBe(true);
      expect(view.summary.endsWith(view.folded.footer)).toBe(true);
    }
    expect(folded).toBeGreaterThan(0);
  });

  it("gives search results an excerpt of the post's own words, never only the channel's appeal", async () => {
    const all = await storedPosts(db);
    const boilerplate = new ChannelBoilerplate(db);
    // A channel whose posts open with an appeal, and a word of the appeal to search for.
    let found: { channel: string; header: string } | null = null;
    for (const channel of new Set(all.map((p) => p.channel))) {
      const usual = await boilerplate.get(channel);
      const post = all.find((p) => p.channel === channel && foldBoilerplate(p.summary, usual).header);
      if (post) {
        found = { channel, header: foldBoilerplate(post.summary, usual).header };
        break;
      }
    }
    expect(found).not.toBeNull();
    const { channel, header } = found!;
    const word = header.replace(/\s+/g, ' ').trim().slice(0, 6);
    const before = await searchHits(db, `${word} ${nameFilter('channel', channel)}`, 10);
    expect(before.posts.some((hit) => hit.matches?.excerpt.text.startsWith(header.replace(/\s+/g, ' ').trim().slice(0, 20)))).toBe(true);
    // A new background (nothing shown yet) whose pass has run, as after a sync.
    const fresh = new ChannelBoilerplate(db);
    expect(fresh.known(channel)).toBeUndefined();
    await fresh.findAll();
    const after = await searchHits(db, `${word} ${nameFilter('channel', channel)}`, 10, (c) => fresh.known(c));
    expect(after.posts.length).toBe(before.posts.length);
    for (const hit of after.posts) {
      const post = all.find((p) => p.key === hit.key)!;
      const own = foldBoilerplate(post.summary, await boilerplate.get(channel)).main.replace(/\s+/g, ' ').trim();
      // From the post's own words, not the appeal.
      expect(own).toContain(hit.matches!.excerpt.text.replace(/^…|…$/g, '').slice(0, 30));
    }
  });

  it('is found for every channel once per state of the archive, kept across restarts, and found again when the archive changes', async () => {
    const first = new ChannelBoilerplate(db);
    const pass = await first.findAll();
    const counts = new Map<string, number>();
    for (const p of await storedPosts(db)) if (p.channel) counts.set(p.channel, (counts.get(p.channel) ?? 0) + 1);
    // Channels of fewer than ten posts are found when one of their posts is shown.
    const channels = new Set([...counts].filter(([, n]) => n >= 10).map(([c]) => c));
    expect(pass.kept).toBe(channels.size);
    expect(await db.usualText.count()).toBe(channels.size);
    // The background starts again: nothing is found again, and search knows every channel at once.
    const restarted = new ChannelBoilerplate(db);
    expect((await restarted.findAll()).found).toBe(0);
    for (const channel of channels) expect(restarted.known(channel)).toEqual(await first.get(channel));
    // A sync changed a source: the earlier findings are of another archive.
    const [source] = await db.sources.toArray();
    await db.sources.update(source!.id, { postCount: source!.postCount + 1 });
    try {
      const after = new ChannelBoilerplate(db);
      // The pass waits for quiet before each channel and between a few posts' reads, so a reader never waits behind a channel's whole sample.
      let waits = 0;
      usualTextLimits.readChunk = 4;
      const again = await after.findAll(async () => void waits++).finally(() => (usualTextLimits.readChunk = 48));
      expect(again.found).toBe(channels.size);
      // And once before it reads the archive's state.
      expect(waits).toBe(1 + [...channels].reduce((sum, c) => sum + Math.ceil(counts.get(c)! / 4), 0));
      expect(await db.usualText.count()).toBe(channels.size);
      // What the pass waits for first (the index's merge after a sync) may change the archive's state:
      // its findings are kept as the state after, so the next start of the background finds nothing to do.
      const merged = new ChannelBoilerplate(db);
      let waited = false;
      await merged.findAll(async () => {
        if (waited) return;
        waited = true;
        await db.sources.update(source!.id, { postCount: source!.postCount + 2 });
      });
      expect((await new ChannelBoilerplate(db).findAll()).found).toBe(0);
    } finally {
      await db.sources.update(source!.id, { postCount: source!.postCount });
    }
  });

  it("is found in a worker of its own for each channel, as Firefox's background page finds it, and the same as found here", async () => {
    const here = new ChannelBoilerplate(db);
    await here.findAll();
    // A stand-in for the worker: given only what a worker is sent (cloned as a message is), on a connection of its own.
    const asked: string[] = [];
    class StandIn {
      onmessage: ((event: { data: unknown }) => void) | null = null;
      onerror: ((event: { preventDefault(): void }) => void) | null = null;
      terminated = false;
      postMessage(message: UsualTextAsk) {
        const ask = structuredClone(message);
        asked.push(ask.channel);
        const own = openArchive(ask.dbName);
        void usualTextOf(own, ask.channel, ask.sample)
          .finally(() => own.close())
          .then((done) => this.onmessage?.({ data: structuredClone({ ok: true, done }) }));
      }
      terminate() {
        this.terminated = true;
      }
    }
    const workers: StandIn[] = [];
    vi.stubGlobal('Worker', StandIn);
    usualTextInWorkers(() => {
      const worker = new StandIn();
      workers.push(worker);
      return worker as unknown as Worker;
    });
    try {
      await db.usualText.clear();
      const apart = new ChannelBoilerplate(db);
      const pass = await apart.findAll();
      expect(pass.found).toBeGreaterThan(5);
      // One worker a channel, each ended once it answered.
      expect(asked).toHaveLength(pass.found);
      expect(workers.every((w) => w.terminated)).toBe(true);
      for (const channel of asked) expect(apart.known(channel)).toEqual(here.known(channel));
    } finally {
      usualTextIn.worker = null;
      vi.unstubAllGlobals();
    }
  });
});

