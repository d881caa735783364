// The files of a source, by path: each file's git blob sha and the post it
// holds. This is how a sync knows what changed (core/sync-plan.ts) and which
// post a removed or moved file takes with it.
//
// Files are kept in packs (FilePackRecord), not a row per file: a full sync
// writes one pack per batch it saves, next to the batch's posts. A row per
// file doubled the IndexedDB requests of a large sync, and the 8× society
// archive (122,000 posts) synced in 62 s with them, 46 s without. Nothing
// asks for one file by path except an incremental sync, which reads every
// file of the source to plan anyway, so packs cost no lookup.
import { eachUnderPrefix } from './key-range';
import type { ArchiveDb, FileEntry, FilePackRecord } from './schema';
import { filePacks, packKey } from './file-packs';
import { TextMap } from '../core/text-keys';

export { filePacks, packKey } from './file-packs';

/** Packs read at a time: about 25,000 files. */
const READ_PACKS = 50;




/** Visits the packs of a generation in key order, a few at a time: a large archive's files are never all read at once. */
export function eachPack(db: ArchiveDb, sourceId: string, gen: number, visit: (packs: FilePackRecord[]) => void | Promise<void>): Promise<void> {
  return eachUnderPrefix(db.files, packKey(sourceId, gen, ''), READ_PACKS, (pack) => pack.key, visit);
}

/** Every file of a generation, by path (a TextMap: Firefox would keep every path looked up in a Map as an atom, core/text-keys.ts). */
export async function filesOf(db: ArchiveDb, sourceId: string, gen: number): Promise<TextMap<FileEntry>> {
  const files = new TextMap<FileEntry>();
  await eachPack(db, sourceId, gen, (packs) => {
    for (const pack of packs) for (const file of pack.files) files.set(file.path, file);
  });
  return files;
}

/**
 * The files of a generation while an incremental sync changes them: read
 * once, changed in memory, and written back as the packs that changed (their
 * remaining files and the new ones, packed again). Use it inside one
 * read-write transaction on `files`.
 */
export class FileSet {
  private readonly entries = new TextMap<FileEntry>();
  /** The pack a stored file is in; absent for a file set here. */
  private readonly packOf = new TextMap<string>();
  private readonly packs = new Map<string, FilePackRecord>();
  private readonly dirty = new Set<string>();

  private constructor(
    private readonly sourceId: string,
    private readonly gen: number,
  ) {}

  static async read(db: ArchiveDb, sourceId: string, gen: number): Promise<FileSet> {
    const set = new FileSet(sourceId, gen);
    await eachPack(db, sourceId, gen, (packs) => {
      for (const pack of packs) {
        set.packs.set(pack.key, pack);
        for (const file of pack.files) {
          // A path in two packs (a hand-made tar can hold a file twice) is the
          // later one's, as in filesOf; the earlier pack is rewritten without it.
          const earlier = set.packOf.get(file.path);
          if (earlier !== undefined) set.dirty.add(earlier);
          set.entries.set(file.path, file);
          set.packOf.set(file.path, pack.key);
        }
      }
    });
    return set;
  }

  get(path: string): FileEntry | undefined {
    return this.entries.get(path);
  }

  /** A file with this content (jobs planned before copies named their source, see core/sync-plan.ts). */
  withSha(sha: string): FileEntry | undefined {
    for (const file of this.entries.values()) if (file.sha === sha) return file;
    return undefined;
  }

  /** Removes a file; returns it, or undefined when there was none at that path. */
  delete(path: string): FileEntry | undefined {
    const file = this.entries.get(path);
    if (!file) return undefined;
    this.entries.delete(path);
    const pack = this.packOf.get(path);
    if (pack !== undefined) {
      this.dirty.add(pack);
      this.packOf.delete(path);
    }
    return file;
  }

  /** Adds a file, or replaces the one at its path. */
  set(file: FileEntry): void {
    this.delete(file.path);
    this.entries.set(file.path, file);
  }

  /** Writes what changed: the changed packs are deleted and their files still here packed again with the new ones. */
  async write(db: ArchiveDb): Promise<void> {
    const repacked: FileEntry[] = [];
    for (const key of this.dirty) {
      for (const file of this.packs.get(key)!.files) if (this.packOf.get(file.path) === key) repacked.push(file);
    }
    for (const [path, file] of this.entries) if (!this.packOf.has(path)) repacked.push(file);
    // Keys are paths each in one pack, so the new packs never meet a pack kept as it was.
    await db.files.bulkDelete([...this.dirty]);
    if (repacked.length) await db.files.bulkPut(filePacks(this.sourceId, this.gen, repacked));
    this.dirty.clear();
  }
}

/** How many files are stored: of one source or of all, in every generation (tests and figures; a sync never needs it). */
export async function countFiles(db: ArchiveDb, sourceId?: string): Promise<number> {
  const rows = sourceId === undefined ? db.files.toCollection() : db.files.where('[sourceId+gen]').between([sourceId, -Infinity], [sourceId, Infinity]);
  let count = 0;
  await rows.each((pack) => (count += pack.files.length));
  return count;
}

