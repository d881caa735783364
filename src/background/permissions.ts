// Optional host permissions, asked for one site at a time when a bundle URL
// source or a published index is added, and given back when the last source
// on that site goes.
import browser from 'webextension-polyfill';
import { bundleOrigin } from '../sync/sources';
import type { ArchiveDb } from '../db/schema';
import baseManifest from '../../manifest.json';

const REQUIRED = new Set<string>(baseManifest.host_permissions);

export async function releaseUnusedOrigins(db: ArchiveDb): Promise<void> {
  const granted = (await browser.permissions.getAll()).origins ?? [];
  const inUse = new Set<string>();
  for (const source of await db.sources.toArray()) if (source.bundleUrl) inUse.add(bundleOrigin(source.bundleUrl));
  for (const index of await db.followed.toArray()) inUse.add(bundleOrigin(index.url));
  for (const origin of granted.filter((o) => !REQUIRED.has(o) && !inUse.has(o))) {
    // One at a time: a browser that lists a required origin here must not block the others.
    await browser.permissions.remove({ origins: [origin] }).catch(() => {});
  }
}
