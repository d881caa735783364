// The content script's end of the page-world script (src/page-world/player-data.ts):
// a random channel per content script, asks as CustomEvents named by it,
// answers matched by id. Page data is parsed as JSON and read as typed values:
// a hint (whether YouTube can play a video) and text to compare with the
// archive (title, description, channel), never shown as HTML or run.
import type { PageAnswer, PlayerDetails, PlayerStatus } from '../page-world/player-data';
import { ask } from '../shared/client';

/** How long to wait for the page to answer an ask before treating it as "does not know". */
const ANSWER_MS = 500;

export class PageBridge {
  private readonly channel = `archivelens-${crypto.randomUUID()}`;
  private next = 1;
  private readonly pending = new Map<number, (answer: PageAnswer | null) => void>();
  private readonly listeners = new Set<(status: PlayerStatus, details: PlayerDetails | null) => void>();
  /** Whether the page-world script was injected (false where the browser refused). */
  readonly ready: Promise<boolean>;

  constructor(signal: AbortSignal) {
    document.addEventListener(`${this.channel}:answer`, (event) => this.receive((event as CustomEvent).detail), { signal });
    this.ready = ask('pageBridge', { channel: this.channel }).then((r) => r.installed, () => false);
  }

  /** What the page knows about `videoId` now, or null (no answer, or it does not know yet). */
  async status(videoId: string, signal: AbortSignal): Promise<PlayerStatus | null> {
    return validStatus((await this.request('status', videoId, signal))?.status);
  }

  /** YouTube's own title, whole description and channel of `videoId` now, or null (not known yet, or not this video's). */
  async details(videoId: string, signal: AbortSignal): Promise<PlayerDetails | null> {
    return validDetails((await this.request('details', videoId, signal))?.details, videoId);
  }

  private async request(kind: 'status' | 'details', videoId: string, signal: AbortSignal): Promise<PageAnswer | null> {
    if (!(await this.ready) || signal.aborted) return null;
    const id = this.next++;
    return new Promise((resolve) => {
      const done = (answer: PageAnswer | null) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(answer);
      };
      const timer = setTimeout(() => done(null), ANSWER_MS);
      this.pending.set(id, done);
      document.dispatchEvent(new CustomEvent(`${this.channel}:ask`, { detail: JSON.stringify({ id, kind, videoId }) }));
    });
  }

  /** Seeks the video being played, from the page's world (the player's own seekTo keeps ads in step). */
  async seek(seconds: number): Promise<void> {
    if (!(await this.ready)) return;
    document.dispatchEvent(new CustomEvent(`${this.channel}:ask`, { detail: JSON.stringify({ id: this.next++, kind: 'seek', seconds }) }));
  }

  /** Calls `listener` with what a finished navigation says; until `signal` aborts. */
  onNews(listener: (status: PlayerStatus, details: PlayerDetails | null) => void, signal: AbortSignal): void {
    this.listeners.add(listener);
    signal.addEventListener('abort', () => this.listeners.delete(listener), { once: true });
  }

  private receive(detail: unknown): void {
    let answer: PageAnswer;
    try {
      answer = JSON.parse(String(detail)) as PageAnswer;
    } catch {
      return;
    }
    if (answer?.id === 0) {
      const status = validStatus(answer.status);
      if (status) for (const listener of this.listeners) listener(status, validDetails(answer.details, status.videoId));
      return;
    }
    this.pending.get(Number(answer?.id))?.(answer);
  }
}

function validStatus(value: unknown): PlayerStatus | null {
  const v = value as Partial<PlayerStatus> | null;
  if (!v || typeof v.videoId !== 'string') return null;
  return { videoId: v.videoId, status: typeof v.status === 'string' ? v.status : null, ageGate: v.ageGate === true };
}

function validDetails(value: unknown, videoId: string): PlayerDetails | null {
  const v = value as Partial<PlayerDetails> | null | undefined;
  if (!v || v.videoId !== videoId) return null;
  const text = (field: unknown) => (typeof field === 'string' ? field : null);
  return { videoId, title: text(v.title), description: text(v.description), channel: text(v.channel) };
}

/**
 * Whether a status means YouTube will not play the video for anyone: removed,
 * deleted, private or blocked. An age gate is not that, nor is a premiere
 * that has not started.
 */
export function isGoneStatus(status: PlayerStatus | null): boolean {
  if (!status?.status) return false;
  if (status.status === 'ERROR' || status.status === 'UNPLAYABLE') return true;
  return status.status === 'LOGIN_REQUIRED' && !status.ageGate;
}
