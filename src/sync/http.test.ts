import { describe, expect, it } from 'vitest';
import { Http, READ_BYTES } from './http';

const http = () => new Http({ fetch: () => Promise.reject(new Error('no network here')), signal: new AbortController().signal, backoffMs: [] });

/** A body that is a byte stream, as fetch's are in Firefox: `sizes` are the pieces the network gives, each queued at once. */
function byteBody(sizes: number[]): { response: Response; cancelled: () => boolean } {
  let at = 0;
  let next = 0;
  let cancelled = false;
  const body = new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (next === sizes.length) {
        controller.close();
        controller.byobRequest?.respond(0); // a read waiting in a buffer of ours ends too
        return;
      }
      const piece = new Uint8Array(sizes[next++]!);
      for (let i = 0; i < piece.length; i++) piece[i] = (at + i) % 251;
      at += piece.length;
      controller.enqueue(piece);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: { body } as unknown as Response, cancelled: () => cancelled };
}

/** The bytes' count, once every byte is checked to be the one the body gave there. */
const expectSequence = (chunks: Uint8Array[]) => {
  let at = 0;
  let wrong = 0;
  for (const chunk of chunks) for (const byte of chunk) if (byte !== at++ % 251) wrong++;
  expect(wrong).toBe(0);
  return at;
};

describe('Http.chunks in pieces', () => {
  it('reads what ran ahead a piece at a time, every byte once and counted', async () => {
    const h = http();
    const { response } = byteBody([3 * READ_BYTES + 5, 100]);
    const chunks: Uint8Array[] = [];
    for await (const chunk of h.chunks(response, { pieces: true })) chunks.push(chunk);
    expect(Math.max(...chunks.map((c) => c.length))).toBe(READ_BYTES);
    expect(expectSequence(chunks)).toBe(3 * READ_BYTES + 105);
    expect(h.bytes).toBe(3 * READ_BYTES + 105);
  });

  it('hands on small reads in buffers of their own size, not in a whole piece each', async () => {
    const { response } = byteBody([1000, 20_000, 7]);
    const chunks: Uint8Array[] = [];
    for await (const chunk of http().chunks(response, { pieces: true })) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([1000, 20_000, 7]);
    for (const chunk of chunks) expect(chunk.buffer.byteLength).toBe(chunk.length);
    expectSequence(chunks);
  });

  it('reads a body that is not a byte stream as it comes', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(2 * READ_BYTES));
        controller.close();
      },
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of http().chunks({ body } as unknown as Response, { pieces: true })) chunks.push(chunk);
    expect(chunks.map((c) => c.length)).toEqual([2 * READ_BYTES]);
  });

  it('lets the download go when the reading stops early', async () => {
    const { response, cancelled } = byteBody([READ_BYTES, READ_BYTES, READ_BYTES]);
    for await (const chunk of http().chunks(response, { pieces: true })) {
      expect(chunk.length).toBe(READ_BYTES);
      break;
    }
    expect(cancelled()).toBe(true);
  });

  it('does not count a copy already counted', async () => {
    const h = http();
    const { response } = byteBody([5000]);
    for await (const chunk of h.chunks(response, { count: false, pieces: true })) expect(chunk.length).toBe(5000);
    expect(h.bytes).toBe(0);
  });
});
