import { describe, expect, it } from 'vitest';
import { spoolingWhenAhead, type SpoolUse } from './spool';
import { withBufferTransfer } from '../../test/support/buffer-transfer';

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

/**
 * The spool's side of a download of these chunk sizes: its copy, whole (as
 * a clone of the response gives the Cache API), or its failure; what was
 * read back from it, and whether it was let go or its download stopped.
 */
function spoolUse(sizes: number[], options: { fails?: boolean } = {}) {
  const state = { readBack: 0, released: 0, stopped: 0, waits: 0, unread: 0 };
  const kept = options.fails
    ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
    : Promise.resolve({ response: new Response(new Uint8Array(expected(sizes))), release: async () => void state.released++ });
  kept.catch(() => {});
  const use: SpoolUse = {
    aheadBytes: 100,
    aheadMs: 1_000,
    now: () => clock.ms,
    copied: { kept, stop: () => void state.stopped++ },
    async *read(response) {
      // Read back in pieces of 50 bytes, as a disk hands them over.
      const bytes = new Uint8Array(await response.arrayBuffer());
      for (let at = 0; at < bytes.length; at += 50) {
        state.readBack += Math.min(50, bytes.length - at);
        yield bytes.subarray(at, at + 50);
      }
    },
    waiting: (work) => {
      state.waits++;
      return work();
    },
    unread: (bytes) => void (state.unread += bytes),
  };
  return { use, state };
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

function expected(sizes: number[]): number[] {
  return sizes.flatMap((size, k) => Array<number>(size).fill(k + 1));
}

/** Lets the copy's release, which waits for it to be whole, run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('spoolingWhenAhead', () => {
  it('passes a download that keeps pace on as it comes, reads nothing from the copy and lets it go once it is whole', async () => {
    const sizes = [100, 60, 100];
    const { chunks, state } = download(sizes);
    const spool = spoolUse(sizes);
    expect(await all(spoolingWhenAhead(chunks, spool.use))).toEqual(expected(sizes));
    await settled();
    expect(state.ended).toBe(true);
    expect(spool.state).toMatchObject({ readBack: 0, waits: 0, released: 1, stopped: 0 });
  });

  it('lets the download go at the chunk that ran ahead and reads on from the copy, every byte once and in order, then lets the copy go', async () => {
    const sizes = [60, 70, 500, 40, 300];
    const { chunks, state } = download(sizes);
    const spool = spoolUse(sizes);
    expect(await all(spoolingWhenAhead(chunks, spool.use))).toEqual(expected(sizes));
    // The download itself was read to its third chunk; the copy from its start (the first 130 bytes passed over).
    expect(state.letGo).toBe(true);
    expect(state.read).toBe(3);
    expect(spool.state).toMatchObject({ readBack: 970, waits: 1, released: 1, stopped: 0 });
    // The download gave 630 bytes (the chunk that ran ahead included): the copy, the other 340.
    expect(spool.state.unread).toBe(340);
  });

  it('frees the chunk that ran ahead, and the pieces of the copy it reads past, rather than leave them to the collector', async () => {
    const restore = withBufferTransfer();
    try {
      const sizes = [60, 70, 500, 40, 300];
      const { chunks } = download(sizes);
      const given: Uint8Array[] = [];
      const seen = (async function* () {
        for await (const chunk of chunks) yield given[given.push(chunk) - 1]!;
      })();
      const spool = spoolUse(sizes);
      // The copy's pieces as a disk hands them over: buffers of their own.
      const pieces: Uint8Array[] = [];
      const read = spool.use.read;
      spool.use.read = async function* (response) {
        for await (const piece of read(response)) yield pieces[pieces.push(piece.slice()) - 1]!;
      };
      expect(await all(spoolingWhenAhead(seen, spool.use))).toEqual(expected(sizes));
      // The chunks passed on are the reader's; the one that ran ahead (500 bytes) went at once.
      expect(given.map((c) => c.length)).toEqual([60, 70, 0]);
      // The copy's first 130 bytes came from the download: its two pieces wholly among them went too, the third was passed on from its 31st byte.
      expect(pieces.slice(0, 4).map((p) => p.length)).toEqual([0, 0, 50, 50]);
    } finally {
      restore();
    }
  });

  it('reads a download as it comes for as long as each read waits for the network, however long the sync reads', async () => {
    const sizes = Array<number>(60).fill(20);
    const { chunks, state } = download(sizes, () => 5);
    const spool = spoolUse(sizes);
    // Three seconds of reading, every read waiting: the network is the slower.
    expect(await all(spoolingWhenAhead(chunks, spool.use), 50)).toEqual(expected(sizes));
    await settled();
    expect(state.ended).toBe(true);
    expect(spool.state).toMatchObject({ readBack: 0, released: 1 });
  });

  it("reads on from the copy once reads have found data waiting for a while (Chromium's small chunks)", async () => {
    // Each read finds its chunk there; the sync takes 100 ms a chunk, so after a second the network has kept up that long.
    const sizes = Array<number>(30).fill(20);
    const { chunks, state } = download(sizes, (k) => (k === 0 ? 30 : 0));
    const spool = spoolUse(sizes);
    expect(await all(spoolingWhenAhead(chunks, spool.use), 100)).toEqual(expected(sizes));
    // Chunks 0–10 were read as they came (a second from the first read that found its data there); the twelfth and the rest came from the copy.
    expect(state.read).toBe(12);
    expect(state.letGo).toBe(true);
    expect(spool.state).toMatchObject({ waits: 1, released: 1 });
  });

  it('reads on as the download comes after a pause of the sync leaves it a backlog', async () => {
    // The sync stops for two seconds at chunk 10 (a batch saved); the next reads find five chunks there, then wait again.
    const sizes = Array<number>(40).fill(20);
    const { chunks } = download(sizes, (k) => (k >= 11 && k <= 15 ? 0 : 5));
    const spool = spoolUse(sizes);
    let k = 0;
    const bytes: number[] = [];
    for await (const chunk of spoolingWhenAhead(chunks, spool.use)) {
      bytes.push(...chunk);
      clock.ms += k++ === 10 ? 2_000 : 50;
    }
    expect(bytes).toEqual(expected(sizes));
    expect(spool.state.readBack).toBe(0);
  });

  it("lets the download go, and stops the copy's, when the reading stops before it ends", async () => {
    const sizes = [60, 60, 60];
    const { chunks, state } = download(sizes);
    const spool = spoolUse(sizes);
    for await (const _ of spoolingWhenAhead(chunks, spool.use)) break;
    await settled();
    expect(state.letGo).toBe(true);
    expect(state.read).toBe(1);
    expect(spool.state).toMatchObject({ stopped: 1, released: 1 });
  });

  it('reads on without a copy that failed while it is not needed', async () => {
    const sizes = [100, 60, 100];
    const { chunks } = download(sizes);
    expect(await all(spoolingWhenAhead(chunks, spoolUse(sizes, { fails: true }).use))).toEqual(expected(sizes));
  });

  it('lets the download go and throws when the copy it needs could not be kept', async () => {
    const sizes = [60, 500, 60];
    const { chunks, state } = download(sizes);
    await expect(all(spoolingWhenAhead(chunks, spoolUse(sizes, { fails: true }).use))).rejects.toThrow(/quota/);
    expect(state.letGo).toBe(true);
  });

  it('lets the copy go when the reading stops while it reads from it', async () => {
    const sizes = [60, 500, 60];
    const { chunks } = download(sizes);
    const spool = spoolUse(sizes);
    let seen = 0;
    for await (const chunk of spoolingWhenAhead(chunks, spool.use)) {
      seen += chunk.length;
      if (seen > 200) break;
    }
    expect(spool.state).toMatchObject({ waits: 1, released: 1, stopped: 0 });
  });
});
