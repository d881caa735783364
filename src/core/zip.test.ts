import { describe, expect, it } from 'vitest';
import { writeZip } from '../../test/support/zip-writer';
import { listZip, readZipEntry, type RandomAccess } from './zip';

const access = (bytes: Uint8Array): RandomAccess => ({
  size: bytes.length,
  read: async (offset, length) => bytes.slice(offset, offset + length),
});
const text = (s: string) => new TextEncoder().encode(s);
const LIMIT = 1024 * 1024;

describe('the zip reader', () => {
  it('reads stored and deflated entries', async () => {
    const zip = access(writeZip([
      { path: 'a/_posts/x.md', data: text('---\ntitle: x\n---\n'), method: 0 },
      { path: 'a/_posts/y.md', data: text('深度求索'.repeat(100)) },
    ]));
    const entries = await listZip(zip);
    expect(entries.map((e) => e.path)).toEqual(['a/_posts/x.md', 'a/_posts/y.md']);
    expect(new TextDecoder().decode((await readZipEntry(zip, entries[0]!, LIMIT))!)).toBe('---\ntitle: x\n---\n');
    expect(new TextDecoder().decode((await readZipEntry(zip, entries[1]!, LIMIT))!)).toBe('深度求索'.repeat(100));
  });

  it('stops inflating a bomb at the limit, whatever its header says', async () => {
    // 64 MiB of zeros deflate to about 64 KiB; the header claims 10 bytes.
    const bomb = access(writeZip([{ path: 'a/_posts/bomb.md', data: new Uint8Array(64 * LIMIT), declaredSize: 10 }]));
    const [entry] = await listZip(bomb);
    expect(entry!.size).toBe(10);
    expect(await readZipEntry(bomb, entry!, LIMIT)).toBeNull();
  });

  it('does not read a stored entry whose compressed size is beyond the limit', async () => {
    let read = 0;
    const bytes = writeZip([{ path: 'a/_posts/big.md', data: text('x'), method: 0, declaredCompressedSize: 0x7fffffff, declaredSize: 1 }]);
    const counting: RandomAccess = { size: bytes.length, read: async (o, l) => ((read += l), bytes.slice(o, o + l)) };
    const [entry] = await listZip(counting);
    read = 0;
    expect(await readZipEntry(counting, entry!, LIMIT)).toBeNull();
    expect(read).toBe(0);
  });

  it('returns null for a stored entry that is really larger than the limit', async () => {
    const zip = access(writeZip([{ path: 'a/_posts/big.md', data: new Uint8Array(LIMIT + 1), method: 0, declaredSize: 5 }]));
    const [entry] = await listZip(zip);
    expect(await readZipEntry(zip, entry!, LIMIT)).toBeNull();
  });
});
