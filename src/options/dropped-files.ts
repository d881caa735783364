// Turning what the user picked or dropped into an ArchiveInput.
import type { ArchiveInput } from '../sync/file-import';

/** Files from `<input webkitdirectory>`: their webkitRelativePath starts with the folder's name. */
export function folderInput(files: FileList): ArchiveInput | null {
  const list = [...files];
  if (list.length === 0) return null;
  const name = list[0]!.webkitRelativePath.split('/')[0] || 'folder';
  return { kind: 'folder', name, files: list.map((file) => ({ path: file.webkitRelativePath || file.name, file })) };
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(out);
        out.push(...batch);
        next(); // readEntries answers in batches of at most 100
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: { path: string; file: File }[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\//, ''), file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, out);
  }
}

/** A dropped archive file, or a dropped folder read recursively. */
export async function droppedInput(data: DataTransfer): Promise<ArchiveInput | null> {
  const entry = [...data.items].map((item) => item.webkitGetAsEntry?.()).find(Boolean);
  if (entry?.isDirectory) {
    const files: { path: string; file: File }[] = [];
    await walk(entry, files);
    return { kind: 'folder', name: entry.name, files };
  }
  const file = data.files[0];
  return file ? { kind: 'file', name: file.name, file } : null;
}
