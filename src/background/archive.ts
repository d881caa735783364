// The background's handle on the archive: one Dexie instance, and the import
// of the built-in sample on install (and again if the archive was cleared).
import browser from 'webextension-polyfill';
import type { BuiltinArchive } from '../core/builtin';
import { parsePost, type Post } from '../core/post';
import { parseSiteConfig } from '../core/site';
import { replaceSource } from '../db/import';
import { withSourceLock } from '../db/locks';
import { openArchive, type ArchiveDb, type SourceRecord } from '../db/schema';

export const db: ArchiveDb = openArchive();

let importing: Promise<void> | null = null;

export function isImporting(): boolean {
  return importing !== null;
}

/** Imports the built-in sample; concurrent calls share one import. */
export function importBuiltin(load: () => Promise<BuiltinArchive> = loadBundledArchive): Promise<void> {
  importing ??= (async () => {
    try {
      await importBuiltinArchive(db, await load());
    } finally {
      importing = null;
    }
  })();
  return importing;
}

/** Set when the user removed the built-in sample: it is not brought back unasked. */
export const BUILTIN_REMOVED_KEY = 'builtinRemoved';

export async function isBuiltinRemoved(): Promise<boolean> {
  return (await browser.storage.local.get(BUILTIN_REMOVED_KEY))[BUILTIN_REMOVED_KEY] === true;
}

export async function setBuiltinRemoved(removed: boolean): Promise<void> {
  if (removed) await browser.storage.local.set({ [BUILTIN_REMOVED_KEY]: true });
  else await browser.storage.local.remove(BUILTIN_REMOVED_KEY);
}

export async function importBuiltinUnlessRemoved(): Promise<void> {
  if (!(await isBuiltinRemoved())) await importBuiltin();
}

/** On first run (or after the archive was cleared) the sample is there, unless the user removed it. */
export async function ensureBuiltin(): Promise<void> {
  const present = await db.sources.where('id').startsWith('builtin:').count();
  if (present === 0) await importBuiltinUnlessRemoved();
}

let readyOnce: Promise<void> | null = null;

/**
 * Resolves once the archive can answer: on first run that is after the
 * built-in sample is imported, so the very first panel is not empty.
 */
export function ready(): Promise<void> {
  readyOnce ??= ensureBuiltin().catch((e: unknown) => {
    readyOnce = null;
    console.error('ArchiveLens: the built-in archive could not be imported', e);
  });
  return readyOnce.then(() => importing ?? undefined);
}

async function loadBundledArchive(): Promise<BuiltinArchive> {
  const response = await fetch(browser.runtime.getURL('builtin/archive.json'));
  if (!response.ok) throw new Error(`the built-in archive could not be read (${response.status})`);
  return (await response.json()) as BuiltinArchive;
}

export async function importBuiltinArchive(target: ArchiveDb, archive: BuiltinArchive): Promise<void> {
  for (const source of archive.sources) {
    const posts: Post[] = [];
    let failures = 0;
    const site = parseSiteConfig(source.config);
    for (const file of archive.files.filter((f) => f.source === source.id)) {
      const result = parsePost(file.text, file.path, { timeZone: site.timezone });
      if (result.ok) posts.push(result.post);
      else failures++;
    }
    // Under the source's lock, like every writer: start-up cleanup must not drop the index being built.
    const record: SourceRecord = {
      id: source.id,
      kind: 'builtin',
      name: source.name,
      repo: source.repo,
      site,
      postCount: posts.length,
      failureCount: failures,
      importedAt: Date.now(),
    };
    await withSourceLock(source.id, () => replaceSource(target, record, posts));
  }
}
