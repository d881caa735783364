// Sync progress, for the options page (it listens to storage.session, see shared/progress-area.ts). All
// sources share one stored object, so writes are queued one after another
// from an in-memory copy: two syncs reporting at once never overwrite each
// other's latest state with a stale read.
import { progressArea } from '../shared/progress-area';
import { PROGRESS_KEY, RUNNING_PHASES, type SyncProgress } from '../sync/progress';

export { PROGRESS_KEY };

export class ProgressStore {
  private latest: Map<string, SyncProgress> | null = null;
  private queue: Promise<void> = Promise.resolve();

  /** Records a source's progress; resolves when it (and everything before it) is stored. */
  write(progress: SyncProgress): Promise<void> {
    return this.enqueue((all) => all.set(progress.sourceId, progress));
  }

  /** The sources whose last stored progress says a sync is still going. */
  async running(): Promise<string[]> {
    // After the writes queued so far, without writing anything itself.
    this.queue = this.queue.then(async () => void (await this.load())).catch((error: unknown) => console.error('ArchiveLens: sync progress could not be read', error));
    await this.queue;
    return [...(this.latest?.values() ?? [])].filter((p) => RUNNING_PHASES.has(p.phase)).map((p) => p.sourceId);
  }

  /** Forgets a removed source's progress. */
  forget(sourceId: string): Promise<void> {
    return this.enqueue((all) => all.delete(sourceId));
  }

  private enqueue(change: (all: Map<string, SyncProgress>) => void): Promise<void> {
    this.queue = this.queue
      .then(async () => {
        const all = await this.load();
        change(all);
        await progressArea().set({ [PROGRESS_KEY]: Object.fromEntries(all) });
      })
      .catch((error: unknown) => console.error('ArchiveLens: sync progress could not be stored', error));
    return this.queue;
  }

  /** What an earlier worker stored is the starting point, read once. */
  private async load(): Promise<Map<string, SyncProgress>> {
    if (!this.latest) {
      const stored = (await progressArea().get(PROGRESS_KEY))[PROGRESS_KEY];
      this.latest = new Map(stored && typeof stored === 'object' ? Object.entries(stored as Record<string, SyncProgress>) : []);
    }
    return this.latest;
  }
}
