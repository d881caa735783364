// Personal access tokens: kept in storage.local only (never synced), and
// sent only to GitHub's hosts by the sync engine.
import browser from 'webextension-polyfill';

const KEY = 'tokens';

async function all(): Promise<Record<string, string>> {
  const stored = (await browser.storage.local.get(KEY))[KEY];
  return stored && typeof stored === 'object' ? (stored as Record<string, string>) : {};
}

export async function getToken(sourceId: string): Promise<string | null> {
  return (await all())[sourceId] ?? null;
}

export async function setToken(sourceId: string, token: string | null): Promise<void> {
  const tokens = await all();
  if (token) tokens[sourceId] = token;
  else delete tokens[sourceId];
  await browser.storage.local.set({ [KEY]: tokens });
}
