// The pieces of long texts pages send ahead of a request that names them
// (shared/text-upload.ts), per sender, bounded in number, size and age.
import { MAX_POST_CHARS } from '../core/post';

/** Texts kept per sender, and how long an upload waits for the request that names it. */
const PER_SENDER = 4;
const KEEP_MS = 60_000;
const UPLOAD_ID = /^[0-9a-f-]{36}$/;

interface Upload {
  parts: string[];
  chars: number;
  complete: boolean;
  at: number;
}

export class TextUploads {
  private readonly bySender = new Map<string, Map<string, Upload>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Keeps a piece; false when it is refused (unknown id form, out of order, too long). */
  put(sender: string, upload: string, index: number, part: string, last: boolean): boolean {
    if (!UPLOAD_ID.test(upload) || typeof part !== 'string' || !Number.isInteger(index) || index < 0) return false;
    this.expire();
    const uploads = this.bySender.get(sender) ?? new Map<string, Upload>();
    this.bySender.set(sender, uploads);
    let entry = uploads.get(upload);
    if (index === 0 && !entry) {
      entry = { parts: [], chars: 0, complete: false, at: this.now() };
      uploads.set(upload, entry);
      // The oldest go first when a sender keeps too many.
      while (uploads.size > PER_SENDER) uploads.delete(uploads.keys().next().value!);
    }
    if (!entry || entry.complete || index !== entry.parts.length || entry.chars + part.length > MAX_POST_CHARS) {
      uploads.delete(upload);
      return false;
    }
    entry.parts.push(part);
    entry.chars += part.length;
    entry.complete = last === true;
    entry.at = this.now();
    return true;
  }

  /** The whole text of a complete upload of this sender (read once), or null. */
  take(sender: string, upload: string): string | null {
    this.expire();
    const uploads = this.bySender.get(sender);
    const entry = uploads?.get(upload);
    if (!entry?.complete) return null;
    uploads!.delete(upload);
    return entry.parts.join('');
  }

  private expire(): void {
    const now = this.now();
    for (const [sender, uploads] of this.bySender) {
      for (const [id, entry] of uploads) if (now - entry.at > KEEP_MS) uploads.delete(id);
      if (uploads.size === 0) this.bySender.delete(sender);
    }
  }
}
