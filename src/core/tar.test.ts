import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, gunzipSync, createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SOCIETY_TARBALL, extractedSociety, listFiles } from '../../test/support/archives';
import { readOctal, readTar, TarFormatError, type TarEntry } from './tar';

async function* chunked(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Uint8Array>, maxEntryBytes?: number): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for await (const e of readTar(source, maxEntryBytes ? { maxEntryBytes } : {})) out.push(e);
  return out;
}

describe('the streaming tar reader', () => {
  it('reads every file of the society archive, with the bytes the system tar extracts', async () => {
    const root = extractedSociety();
    const expected = listFiles(root).filter((f) => f !== '.done');
    const gunzip = createReadStream(SOCIETY_TARBALL).pipe(createGunzip());
    const files = (await collect(gunzip as AsyncIterable<Uint8Array>)).filter((e) => e.type === 'file');
    expect(files.map((f) => f.path).sort()).toEqual(expected);
    // Non-ASCII names come from pax records; check a sample of contents byte for byte.
    for (const file of files.filter((_, i) => i % 500 === 0)) {
      expect(Buffer.from(file.data!).equals(readFileSync(join(root, file.path)))).toBe(true);
    }
  });

  it('gives the same entries however the stream is chunked', async () => {
    const tar = gunzipSync(readFileSync(SOCIETY_TARBALL)).subarray(0, 512 * 400);
    const whole = await collect(chunked(tar, tar.length)).catch((e) => e);
    const tiny = await collect(chunked(tar, 7)).catch((e) => e);
    // The slice ends mid-archive: both readers must fail the same way, after the same entries.
    expect(whole).toBeInstanceOf(TarFormatError);
    expect(tiny).toBeInstanceOf(TarFormatError);
    const ok = gunzipSync(readFileSync(SOCIETY_TARBALL));
    const a = await collect(chunked(ok, 65536));
    const b = await collect(chunked(ok, 1013));
    expect(b.map((e) => e.path)).toEqual(a.map((e) => e.path));
  });

  it('skips files above the size limit without buffering them', async () => {
    const tar = gunzipSync(readFileSync(SOCIETY_TARBALL));
    const entries = await collect(chunked(tar, 65536), 1000);
    const skipped = entries.filter((e) => e.type === 'file' && e.data === null);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((e) => e.size > 1000)).toBe(true);
  });

  it('rejects data that is not a tar archive', async () => {
    const text = new TextEncoder().encode('hello '.repeat(200));
    await expect(collect(chunked(text, 100))).rejects.toThrow(/not a tar archive/);
    // A gzip file that was not decompressed first is not a tar either.
    await expect(collect(chunked(new Uint8Array(gzipSync(text)), 100))).rejects.toThrow(/not a tar archive/);
    await expect(collect(chunked(new Uint8Array(0), 100))).rejects.toThrow(/not a tar archive/);
  });
});

describe('numbers in a tar header', () => {
  // What every header was read with before the digits were read from the bytes.
  const asText = (field: Uint8Array) => {
    if (field[0]! & 0x80) return field.subarray(1).reduce((n, b) => n * 256 + b, 0); // GNU's base-256
    let end = 0;
    while (end < field.length && field[end] !== 0) end++;
    const text = new TextDecoder().decode(field.subarray(0, end)).trim();
    return text ? parseInt(text, 8) : 0;
  };
  const field = (text: string, length = 12) => {
    const out = new Uint8Array(length);
    out.set(new TextEncoder().encode(text).subarray(0, length));
    return out;
  };

  it('are read as parseInt reads their text, for what tar writes and for hostile fields', () => {
    const cases = [
      '00000001750', '0000000175 ', ' 1750', '   ', '', '17 50', '1750\0junk', '0'.repeat(12), '7'.repeat(11),
      '+17', '-17', '\t17', '17\t', '19', '8', 'x17', '1x7', '０１７', '\u00a017', '\u300017', '17\u3000', ' - 1',
    ];
    for (const text of cases) {
      const bytes = field(text);
      expect([text, readOctal(bytes, 0, bytes.length)]).toEqual([text, asText(bytes)]);
    }
    // Random bytes drawn mostly from what a header's numbers hold.
    const alphabet = [0x20, 0x30, 0x31, 0x37, 0x38, 0x00, 0x09, 0x2b, 0x2d, 0xc2, 0xa0, 0xe3, 0x80, 0x41];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let n = 0; n < 20_000; n++) {
      const bytes = new Uint8Array(8);
      for (let i = 0; i < bytes.length; i++) bytes[i] = next() % 3 === 0 ? alphabet[next() % alphabet.length]! : 0x30 + (next() % 8);
      expect(readOctal(bytes, 0, bytes.length)).toEqual(asText(bytes));
    }
  });
});
