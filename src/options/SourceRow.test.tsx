// The options page says what happens after a sync failed for a reason that may pass.
import { describe, expect, it } from 'vitest';
import { userMessage } from '../core/user-messages';
import type { LastSync } from '../db/schema';
import { lastSyncMessage } from './SourceRow';

const failed: LastSync = {
  at: 0, result: 'failed', message: '', error: userMessage('downloadBrokeFrom', 'GitHub'),
  added: 0, changed: 0, removed: 0, moved: 0, requests: 0, bytes: 0, ms: 0,
};

describe('the last sync of a source', () => {
  it('says when ArchiveLens tries again by itself, or that it gave up', () => {
    expect(lastSyncMessage({ ...failed, retry: { at: Date.UTC(2026, 11, 3, 12, 5), try: 2, of: 5 } })).toMatch(/^The download from GitHub broke off before it was complete\. ArchiveLens tries again by itself at .+ \(try 2 of 5\)\.$/);
    expect(lastSyncMessage({ ...failed, retry: { gaveUpAfter: 5 } })).toBe('The download from GitHub broke off before it was complete. ArchiveLens gave up after 5 tries; the archive is as it was. Sync now to try again.');
  });
});
