// A streaming reader for (uncompressed) tar, as GitHub's codeload and
// `tar -czf` write it: 512-byte headers, data padded to 512 bytes, pax (`x`,
// `g`) and GNU long-name (`L`) records for long or non-ASCII paths. Pure, so
// the CLI and the sync engine share it. Written here because the tar
// libraries on npm are built on Node streams and Buffer, which the extension
// does not have.

export interface TarEntry {
  path: string;
  /** 'file' for regular files; other types are reported but carry no data. */
  type: 'file' | 'directory' | 'other';
  size: number;
  /** The file's bytes, or null when it was larger than `maxEntryBytes` and skipped. */
  data: Uint8Array | null;
  /** Permission bits (git's tarballs: 0o664, or 0o775 for an executable). */
  mode: number;
  /** A symbolic link's target (its type is 'other'). */
  link?: string;
}

export interface TarOptions {
  /** Files larger than this are skipped without being buffered. */
  maxEntryBytes?: number;
}

export class TarFormatError extends Error {}

const BLOCK = 512;
const utf8 = new TextDecoder('utf-8');

function headerPath(header: Uint8Array): string {
  const prefix = isUstar(header) ? readString(header, 345, 155) : '';
  const name = readString(header, 0, 100);
  return prefix ? `${prefix}/${name}` : name;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  let end = offset;
  let ascii = true;
  for (; end < offset + length && block[end] !== 0; end++) if (block[end]! >= 0x80) ascii = false;
  // A header's names are at most 155 bytes, mostly ASCII: made here, they skip a decoder call
  // each (≈ 3 µs; 90 ms of the background's time for the headers of teahouse's size).
  if (ascii) return String.fromCharCode.apply(null, block.subarray(offset, end) as unknown as number[]);
  return utf8.decode(block.subarray(offset, end));
}

export function readOctal(block: Uint8Array, offset: number, length: number): number {
  // GNU base-256 for very large sizes.
  if (block[offset]! & 0x80) {
    let value = 0;
    for (let i = offset + 1; i < offset + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  return octalDigits(block, offset, offset + length) ?? octalText(block, offset, length);
}

/** What `parseInt` of the trimmed text gives. Every header's fields were read this way. */
function octalText(block: Uint8Array, offset: number, length: number): number {
  const text = readString(block, offset, length).trim();
  return text ? parseInt(text, 8) : 0;
}

/**
 * The same number, read from the bytes when the field holds only spaces and
 * octal digits up to its NUL (what tar writes), or null for anything else
 * (signs, tabs, other bytes), which octalText reads as it always did. Two
 * fields of each of 240,000 headers in a large sync: decoding them as text
 * was a second of the worker's time.
 */
function octalDigits(block: Uint8Array, offset: number, end: number): number | null {
  let value = 0;
  let digits = 0;
  let ended = false; // a space after digits: parseInt stops there
  for (let i = offset; i < end; i++) {
    const byte = block[i]!;
    if (byte === 0) break;
    if (byte === 0x20) {
      if (digits) ended = true;
    } else if (byte >= 0x30 && byte <= 0x37) {
      if (!ended) {
        value = value * 8 + (byte - 0x30);
        digits++;
      }
    } else {
      return null;
    }
  }
  return value;
}

/** The magic starts with `ustar` (POSIX and GNU headers): then the path may have a prefix. */
function isUstar(block: Uint8Array): boolean {
  return block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72;
}

function checksumOk(block: Uint8Array): boolean {
  const stored = readOctal(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored;
}

/**
 * A pax record's length: its decimal digits read from the bytes, as
 * `parseInt` of their text reads them (NaN for anything else). Decoding them
 * as text took as long as the record itself, once per entry of a large sync.
 */
function decimal(data: Uint8Array, from: number, to: number): number {
  let value = 0;
  let at = from;
  for (; at < to && data[at]! >= 0x30 && data[at]! <= 0x39; at++) value = value * 10 + data[at]! - 0x30;
  // Anything but plain digits (signs, spaces, other bytes) is read as it always was.
  return at === to && to > from ? value : parseInt(utf8.decode(data.subarray(from, to)), 10);
}

function parsePax(data: Uint8Array): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  let i = 0;
  while (i < data.length) {
    let space = i;
    while (space < data.length && data[space] !== 0x20) space++;
    const length = decimal(data, i, space);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = utf8.decode(data.subarray(space + 1, i + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1); // `out` has no prototype: keys are the archive's
    i += length;
  }
  return out;
}

/** A growable byte queue so headers and bodies can span incoming chunks. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(chunk: Uint8Array) {
    if (chunk.length) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
  }
  /**
   * Removes and returns `n` bytes (n <= length): a view of the chunk they are
   * in when they are in one (most headers and posts), a copy only when they
   * span chunks. A new buffer for each of 240,000 headers and posts kept
   * hundreds of megabytes of garbage outside the JavaScript heap in a sync.
   */
  take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length >= n) {
      this.chunks[0] = first.subarray(n);
      if (this.chunks[0].length === 0) this.chunks.shift();
      this.length -= n;
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0]!;
      const want = n - filled;
      if (head.length <= want) {
        out.set(head, filled);
        filled += head.length;
        this.chunks.shift();
      } else {
        out.set(head.subarray(0, want), filled);
        this.chunks[0] = head.subarray(want);
        filled += want;
      }
    }
    this.length -= n;
    return out;
  }
  /** Drops up to `n` bytes; returns how many were dropped. */
  skip(n: number): number {
    let dropped = 0;
    while (dropped < n && this.chunks.length) {
      const head = this.chunks[0]!;
      const want = n - dropped;
      if (head.length <= want) {
        dropped += head.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = head.subarray(want);
        dropped += want;
      }
    }
    this.length -= dropped;
    return dropped;
  }
}

export async function* readTar(
  source: AsyncIterable<Uint8Array>,
  options: TarOptions = {},
): AsyncGenerator<TarEntry> {
  const maxEntryBytes = options.maxEntryBytes ?? 16 * 1024 * 1024;
  const queue = new ByteQueue();
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  const fill = async (n: number): Promise<boolean> => {
    while (queue.length < n && !done) {
      const next = await iterator.next();
      if (next.done) done = true;
      else queue.push(next.value);
    }
    return queue.length >= n;
  };
  const skipBytes = async (n: number) => {
    let left = n;
    while (left > 0) {
      if (queue.length === 0 && !(await fill(1))) throw new TarFormatError('the archive ends in the middle of a file');
      left -= queue.skip(left);
    }
  };

  let headers = 0;
  let longName: string | null = null;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};

  while (true) {
    if (!(await fill(BLOCK))) {
      if (queue.length === 0 && headers > 0) return; // no end-of-archive blocks: accept, as GNU tar does
      throw new TarFormatError(headers === 0 ? 'not a tar archive (too short)' : 'the archive ends in the middle of a header');
    }
    const header = queue.take(BLOCK);
    headers++;
    if (header.every((b) => b === 0)) return; // end-of-archive marker
    if (!checksumOk(header)) throw new TarFormatError('not a tar archive (bad header checksum)');

    const size = readOctal(header, 124, 12);
    const typeflag = String.fromCharCode(header[156] || 0x30);
    const padded = Math.ceil(size / BLOCK) * BLOCK;

    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L') {
      if (size > 1024 * 1024) throw new TarFormatError('a tar metadata record is implausibly large');
      if (!(await fill(padded))) throw new TarFormatError('the archive ends in the middle of a header');
      const data = queue.take(padded).subarray(0, size);
      if (typeflag === 'L') longName = readString(data, 0, data.length);
      else if (typeflag === 'x') pax = parsePax(data);
      else globalPax = { ...globalPax, ...parsePax(data) };
      continue;
    }

    // The header's own name only when no pax or GNU record gave the path (GitHub's tarballs give most).
    const path = pax.path ?? globalPax.path ?? longName ?? headerPath(header);
    const realSize = pax.size ? Number(pax.size) : size;
    const mode = readOctal(header, 100, 8);
    const link = typeflag === '2' ? (pax.linkpath ?? readString(header, 157, 100)) : undefined;
    longName = null;
    pax = {};

    const type: TarEntry['type'] =
      typeflag === '0' || typeflag === '\0' || typeflag === '7' ? 'file' : typeflag === '5' ? 'directory' : 'other';
    const dataSize = type === 'directory' ? 0 : realSize;
    const dataPadded = Math.ceil(dataSize / BLOCK) * BLOCK;

    if (type === 'file' && dataSize <= maxEntryBytes) {
      if (!(await fill(dataPadded))) throw new TarFormatError(`the archive ends in the middle of ${path}`);
      const data = queue.take(dataPadded).subarray(0, dataSize);
      yield { path, type, size: dataSize, data, mode };
    } else {
      await skipBytes(dataPadded);
      yield link === undefined ? { path, type, size: dataSize, data: null, mode } : { path, type, size: dataSize, data: null, mode, link };
    }
  }
}
