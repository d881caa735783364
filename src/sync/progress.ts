// What a running sync reports, for the progress bar.
import type { UserMessage } from '../core/user-messages';
/** Where the background keeps every source's progress in storage.local (the options page listens). */
export const PROGRESS_KEY = 'syncProgress';

export type SyncPhase = 'checking' | 'listing' | 'downloading' | 'reading' | 'saving' | 'done' | 'up-to-date' | 'failed' | 'cancelled';

export interface SyncProgress {
  sourceId: string;
  phase: SyncPhase;
  /** Files read so far, of `total` (0 when not known yet). */
  done: number;
  total: number;
  bytes: number;
  requests: number;
  startedAt: number;
  /** Share of the input read (0 to 1), when files are counted by bytes instead. */
  fraction?: number;
  /** Estimated milliseconds left, when it can be estimated. */
  etaMs: number | null;
  message: string;
  /** Why a sync failed or stopped, worded where it is shown. */
  error?: UserMessage;
  /** When the background last wrote it (a running sync writes it at least every HEARTBEAT_MS). */
  updatedAt?: number;
}

/** The phases of a sync that is still going. */
export const RUNNING_PHASES: ReadonlySet<SyncPhase> = new Set(['checking', 'listing', 'downloading', 'reading', 'saving']);

export function estimateEta(done: number, total: number, startedAt: number, now: number): number | null {
  if (done < 20 || total <= done) return total > 0 && done >= total ? 0 : null;
  const elapsed = now - startedAt;
  return Math.round((elapsed / done) * (total - done));
}
