// Right under the form that added a source: the first sync it started, live.
import type { SyncProgress } from '../sync/progress';
import { describeProgress, SyncProgressBar } from './SyncProgressBar';

const ACTIVE = new Set(['checking', 'listing', 'downloading', 'reading', 'saving']);

export interface AddedSource {
  id: string;
  name: string;
  /** When it was added: progress of older syncs of the same source is not this one's. */
  at: number;
}

export function AddedSourceProgress({ added, progress }: { added: AddedSource | null; progress: Record<string, SyncProgress> }) {
  const p = added ? progress[added.id] : undefined;
  if (!added || !p || p.startedAt < added.at - 1000) return null;
  if (ACTIVE.has(p.phase)) return <SyncProgressBar progress={p} name={added.name} />;
  return (
    <p role={p.phase === 'failed' ? 'alert' : 'status'} class={p.phase === 'failed' ? 'options-error' : 'import-ok'}>
      {added.name}: {describeProgress(p)}
    </p>
  );
}
