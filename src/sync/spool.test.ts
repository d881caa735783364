import { describe, expect, it } from 'vitest';
import { spoolingWhenAhead, type SpoolUse } from './spool';

/** A test's clock, in ms: it moves only when a read waits for the network or the reader works. */
const clock = { ms: 0 };

/**
 * A download of these chunk sizes (each chunk filled with its number), which
 * records whether it was let go or read to its end; `waitMs(k)` is how long
 * the read of chunk k waits for the network (none: the data is there).
 */
function download(sizes: number[], waitMs: (k: number) => number = () => 0) {
  const state = { letGo: false, ended: false, read: 0 };
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for (const [k, size] of sizes.entries()) {
        state.read++;
        clock.ms += waitMs(k);
        yield new Uint8Array(size).fill(k + 1);
      }
      state.ended = true;
    } finally {
      if (!state.ended) state.letGo = true;
    }
  }
  return { chunks: chunks(), state };
}

function spoolUse(options: { fails?: boolean } = {}) {
  const kept: number[] = [];
  let released = 0;
  let waits = 0;
  const use: SpoolUse = {
    aheadBytes: 100,
    aheadMs: 1_000,
    now: () => clock.ms,
    async store(response) {
      if (options.fails) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      const bytes = new Uint8Array(await response.arrayBuffer());
      kept.push(bytes.length);
      return { response: new Response(bytes), release: async () => void released++ };
    },
    async *read(response) {
      // Read back in pieces of 50 bytes, as a disk hands them over.
      const bytes = new Uint8Array(await response.arrayBuffer());
      for (let at = 0; at < bytes.length; at += 50) yield bytes.subarray(at, at + 50);
    },
    waiting: (work) => {
      waits++;
      return work();
    },
  };
  return { use, kept, released: () => released, waits: () => waits };
}

/** Reads every chunk, working `workMs` on each (the sync parsing and saving what it read). */
async function all(chunks: AsyncIterable<Uint8Array>, workMs = 0): Promise<number[]> {
  const bytes: number[] = [];
  for await (const chunk of chunks) {
    bytes.push(...chunk);
    clock.ms += workMs;
  }
  return bytes;
}

const expected = (sizes: number[]) => sizes.flatMap((size, k) => Array<number>(size).fill(k + 1));

describe('spoolingWhenAhead', () => {
  it('passes a download that keeps pace on as it comes, keeping nothing', async () => {
    const { chunks, state } = download([100, 60, 100]);
    const spool = spoolUse();
    expect(await all(spoolingWhenAhead(chunks, spool.use))).toEqual(expected([100, 60, 100]));
    expect(spool.kept).toEqual([]);
    expect(state.ended).toBe(true);
  });

  it('keeps the chunk that ran ahead and the rest, reads every byte once in order, and lets the copy go', async () => {
    const sizes = [60, 70, 500, 40, 300];
    const { chunks, state } = download(sizes);
    const spool = spoolUse();
    expect(await all(spoolingWhenAhead(chunks, spool.use))).toEqual(expected(sizes));
    // What came before it was read as it came; the copy holds the rest only.
    expect(spool.kept).toEqual([840]);
    expect(spool.waits()).toBe(1);
    expect(spool.released()).toBe(1);
    expect(state.ended).toBe(true);
  });

  it('reads a download as it comes for as long as each read waits for the network, however long the sync reads', async () => {
    const sizes = Array<number>(60).fill(20);
    const { chunks, state } = download(sizes, () => 5);
    const spool = spoolUse();
    // Three seconds of reading, every read waiting: the network is the slower.
    expect(await all(spoolingWhenAhead(chunks, spool.use), 50)).toEqual(expected(sizes));
    expect(spool.kept).toEqual([]);
    expect(state.ended).toBe(true);
  });

  it("keeps the rest on disk once reads have found data waiting for a while (Chromium's small chunks)", async () => {
    // Each read finds its chunk there; the sync takes 100 ms a chunk, so after a second the network has kept up that long.
    const sizes = Array<number>(30).fill(20);
    const { chunks, state } = download(sizes, (k) => (k === 0 ? 30 : 0));
    const spool = spoolUse();
    expect(await all(spoolingWhenAhead(chunks, spool.use), 100)).toEqual(expected(sizes));
    // Chunks 0–10 were read as they came (a second from the first read that found its data there); the twelfth and the rest went to disk.
    expect(spool.kept).toEqual([19 * 20]);
    expect(spool.released()).toBe(1);
    expect(state.ended).toBe(true);
  });

  it('reads on as the download comes after a pause of the sync leaves it a backlog', async () => {
    // The sync stops for two seconds at chunk 10 (a batch saved); the next reads find five chunks there, then wait again.
    const sizes = Array<number>(40).fill(20);
    const { chunks } = download(sizes, (k) => (k >= 11 && k <= 15 ? 0 : 5));
    const spool = spoolUse();
    let k = 0;
    const bytes: number[] = [];
    for await (const chunk of spoolingWhenAhead(chunks, spool.use)) {
      bytes.push(...chunk);
      clock.ms += k++ === 10 ? 2_000 : 50;
    }
    expect(bytes).toEqual(expected(sizes));
    expect(spool.kept).toEqual([]);
  });

  it('lets the download go when the reading stops before it ends', async () => {
    const { chunks, state } = download([60, 60, 60]);
    for await (const _ of spoolingWhenAhead(chunks, spoolUse().use)) break;
    expect(state.letGo).toBe(true);
    expect(state.read).toBe(1);
  });

  it('lets the download go and throws when the copy cannot be kept', async () => {
    const { chunks, state } = download([60, 500, 60]);
    await expect(all(spoolingWhenAhead(chunks, spoolUse({ fails: true }).use))).rejects.toThrow(/quota/);
    expect(state.letGo).toBe(true);
  });

  it('lets the copy go when the reading stops while it reads from it', async () => {
    const { chunks } = download([60, 500, 60]);
    const spool = spoolUse();
    let seen = 0;
    for await (const chunk of spoolingWhenAhead(chunks, spool.use)) {
      seen += chunk.length;
      if (seen > 200) break;
    }
    expect(spool.kept).toEqual([560]);
    expect(spool.released()).toBe(1);
  });
});
