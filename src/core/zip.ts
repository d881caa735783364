// Reading the entries of a .zip (GitHub's "Download ZIP") through random
// access, one entry at a time, so a large file never sits in memory whole.
// The platform inflates (DecompressionStream 'deflate-raw'); what is left is
// the container format, a small and fixed piece of reading written here.

import { concatBytes } from './bytes';

export interface RandomAccess {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ZipEntry {
  path: string;
  size: number;
  compressedSize: number;
  method: number;
  localHeaderOffset: number;
  directory: boolean;
}

export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

export async function listZip(file: RandomAccess): Promise<ZipEntry[]> {
  // The end record sits in the last 22 bytes plus a comment of up to 64 KiB.
  const tailLength = Math.min(file.size, 22 + 0xffff);
  const tail = await file.read(file.size - tailLength, tailLength);
  const tv = view(tail);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('not a zip archive (no end of central directory)');
  let count = tv.getUint16(at + 10, true);
  let cdSize = tv.getUint32(at + 12, true);
  let cdOffset = tv.getUint32(at + 16, true);
  if ((count === 0xffff || cdOffset === 0xffffffff) && at >= 20 && tv.getUint32(at - 20, true) === EOCD64_LOCATOR) {
    const eocd64 = view(await file.read(u64(tv, at - 12), 56));
    if (eocd64.getUint32(0, true) !== EOCD64) throw new ZipFormatError('broken zip64 end record');
    count = u64(eocd64, 32);
    cdSize = u64(eocd64, 40);
    cdOffset = u64(eocd64, 48);
  }
  if (cdOffset + cdSize > file.size) throw new ZipFormatError('the zip archive is truncated');
  const cd = await file.read(cdOffset, cdSize);
  const v = view(cd);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) throw new ZipFormatError('broken zip central directory');
    const method = v.getUint16(p + 10, true);
    let compressedSize = v.getUint32(p + 20, true);
    let size = v.getUint32(p + 24, true);
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    let localHeaderOffset = v.getUint32(p + 42, true);
    const path = decoder.decode(cd.subarray(p + 46, p + 46 + nameLength));
    // Zip64 sizes live in the extra field (id 0x0001) when the 32-bit ones are full.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = v.getUint16(e, true);
      const len = v.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) { size = u64(v, q); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = u64(v, q); q += 8; }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(v, q);
      }
      e += 4 + len;
    }
    entries.push({ path, size, compressedSize, method, localHeaderOffset, directory: path.endsWith('/') });
    p = extraEnd + commentLength;
  }
  return entries;
}

/**
 * The bytes of one entry (stored or deflated), or null when it would be larger
 * than `maxBytes`. The declared sizes are the archive's word, not a fact: the
 * compressed data read is bounded, and inflating stops as soon as the output
 * passes the limit, so a zip bomb costs bounded memory and time.
 */
export async function readZipEntry(file: RandomAccess, entry: ZipEntry, maxBytes = Infinity): Promise<Uint8Array | null> {
  if (entry.size > maxBytes) return null;
  // Deflate never grows data by more than 5 bytes per 16 KiB block (plus a little).
  if (entry.compressedSize > maxCompressed(maxBytes)) return null;
  // One read for the local header and the data: the local name and extra
  // field are usually as long as the central directory's, give or take.
  const guess = 30 + new TextEncoder().encode(entry.path).length + 256;
  const chunk = await file.read(entry.localHeaderOffset, Math.min(guess + entry.compressedSize, file.size - entry.localHeaderOffset));
  if (chunk.length < 30) throw new ZipFormatError(`the zip archive is truncated at ${entry.path}`);
  const hv = view(chunk);
  if (hv.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`broken zip entry ${entry.path}`);
  const skip = 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  if (entry.localHeaderOffset + skip + entry.compressedSize > file.size) throw new ZipFormatError(`the zip archive is truncated at ${entry.path}`);
  const data = skip + entry.compressedSize <= chunk.length
    ? chunk.subarray(skip, skip + entry.compressedSize)
    : await file.read(entry.localHeaderOffset + skip, entry.compressedSize);
  if (entry.method === 0) return data.length > maxBytes ? null : data;
  if (entry.method !== 8) throw new ZipFormatError(`${entry.path} uses a compression zip readers rarely support (method ${entry.method})`);
  return inflateRaw(data, maxBytes);
}

function maxCompressed(maxBytes: number): number {
  return maxBytes === Infinity ? Infinity : maxBytes + Math.ceil(maxBytes / 16384) * 5 + 1024;
}

/** Inflates, reading the output a chunk at a time; null once it passes `maxBytes`. */
async function inflateRaw(data: Uint8Array, maxBytes: number): Promise<Uint8Array | null> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxBytes) return null;
      chunks.push(value);
    }
  } catch {
    throw new ZipFormatError('a zip entry is not valid deflate data');
  } finally {
    await reader.cancel().catch(() => {});
  }
  return concatBytes(chunks, length);
}

export function blobAccess(blob: Blob): RandomAccess {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}
