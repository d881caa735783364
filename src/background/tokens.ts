// Personal access tokens: never synced, and not in storage.local either,
// which content scripts can read (a compromised or confused content script on
// youtube.com must not be able to reach a GitHub token). They live in the
// extension's IndexedDB, which only the background and extension pages open,
// and are sent only to GitHub's hosts by the sync engine.
import browser from 'webextension-polyfill';
import { db } from './archive';

/** Where versions before 0.2 kept tokens. */
const LEGACY_KEY = 'tokens';

let migrated: Promise<void> | null = null;

/** Moves tokens an earlier version left in storage.local into the archive's database, once. */
export function migrateTokens(): Promise<void> {
  migrated ??= (async () => {
    const legacy = (await browser.storage.local.get(LEGACY_KEY))[LEGACY_KEY];
    // Nothing to move is the rule: no write then (every start of the worker asks).
    if (legacy === undefined) return;
    if (legacy && typeof legacy === 'object') {
      const rows = Object.entries(legacy as Record<string, unknown>)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
        .map(([sourceId, token]) => ({ sourceId, token }));
      await db.secrets.bulkPut(rows);
    }
    await browser.storage.local.remove(LEGACY_KEY);
  })().catch((error: unknown) => {
    migrated = null;
    throw error;
  });
  return migrated;
}

export async function getToken(sourceId: string): Promise<string | null> {
  await migrateTokens();
  return (await db.secrets.get(sourceId))?.token ?? null;
}

export async function setToken(sourceId: string, token: string | null): Promise<void> {
  await migrateTokens();
  if (token) await db.secrets.put({ sourceId, token });
  else await db.secrets.delete(sourceId);
}
