// The reader's storage limit (options page), checked before each batch a
// sync saves: the extension may use the disk without a quota
// (unlimitedStorage), and a hostile archive could otherwise fill it.
import { SyncError } from '../core/github';
import { userMessage } from '../core/user-messages';
import { loadSettings } from '../shared/settings';

const GB = 1e9;

/** A check that throws when ArchiveLens's storage has passed the limit; the failed sync leaves the archive as it was. */
export function storageGuard(
  estimate: () => Promise<{ usage?: number }> = () => navigator.storage.estimate(),
  limitGb: () => Promise<number> = async () => (await loadSettings()).storageLimitGb,
): () => Promise<void> {
  return async () => {
    const [{ usage = 0 }, limit] = await Promise.all([estimate(), limitGb()]);
    if (usage > limit * GB) throw new SyncError('storage-limit', userMessage('storageLimit', String(limit)));
  };
}
