// The one script ArchiveLens runs in YouTube's own JavaScript world: it reads
// what only the page knows (whether YouTube can play a video, and its live
// title, description and channel, from the player response) and answers the content script over two CustomEvent names made of
// a random channel the content script chose. The background injects it with
// `scripting.executeScript({ world: 'MAIN', args: [channel] })`, so the channel
// never appears in the page before the script holds it.
//
// Serialised by executeScript: self-contained, no imports, no outer names.
// Answers are JSON strings (strings cross between worlds in both browsers).

/** What the page says about a video: YouTube's playability status, or null when it does not know yet. */
export interface PlayerStatus {
  videoId: string;
  /** playabilityStatus.status: OK, ERROR, UNPLAYABLE, LOGIN_REQUIRED, LIVE_STREAM_OFFLINE… */
  status: string | null;
  /** An age gate (sign in to confirm your age) is not a gone video. */
  ageGate: boolean;
}

/**
 * What YouTube says a video is now (videoDetails): the whole description is
 * there even while the page shows it collapsed (its DOM then holds only a snippet).
 */
export interface PlayerDetails {
  videoId: string;
  title: string | null;
  description: string | null;
  channel: string | null;
}

export type PageAsk =
  | { id: number; kind: 'status' | 'details'; videoId: string }
  /** Seeks the playing video (the Short's player on Shorts); no answer. */
  | { id: number; kind: 'seek'; seconds: number };

export interface PageAnswer {
  /** The ask answered, or 0 for news the page sends on its own (a navigation finished). */
  id: number;
  status: PlayerStatus | null;
  /** For a `details` ask, and with news: only ever for the video the response's own videoDetails names. */
  details?: PlayerDetails | null;
}

/** The players' selectors, handed in from the selectors module (this function cannot import). */
export interface PlayerSelectors {
  /** The watch page's player, tried in order (the live page's first). */
  players: string[];
  shortsPlayer: string;
}

export function playerDataInPage(channel: string, selectors: PlayerSelectors): void {
  type Response = {
    playabilityStatus?: { status?: string; desktopLegacyAgeGateReason?: unknown };
    videoDetails?: { videoId?: string; title?: unknown; shortDescription?: unknown; author?: unknown };
  };
  // Nothing is left on window: a page could find the channel there (and the extension).
  const win = window as unknown as { ytInitialPlayerResponse?: Response };

  const initialId = new URL(location.href).searchParams.get('v');
  // The latest player response a navigation brought, with the id it was for
  // (a gone video's response may have no videoDetails).
  let navigated: { videoId: string | null; response: Response } | null = null;

  const statusOf = (response: Response | null | undefined, videoId: string): { videoId: string; status: string | null; ageGate: boolean } | null => {
    const playability = response?.playabilityStatus;
    if (!playability || typeof playability.status !== 'string') return null;
    return { videoId, status: playability.status, ageGate: playability.desktopLegacyAgeGateReason !== undefined };
  };

  const watchPlayer = (): Element | null => {
    for (const selector of selectors.players) {
      const found = document.querySelector(selector);
      if (found) return found;
    }
    return null;
  };

  // Details only from a response whose own videoDetails names the video: after SPA
  // navigation an older response lingers in the player for a moment.
  const detailsOf = (response: Response | null | undefined, videoId: string) => {
    const d = response?.videoDetails;
    if (!d || d.videoId !== videoId) return null;
    const text = (value: unknown) => (typeof value === 'string' ? value : null);
    return { videoId, title: text(d.title), description: text(d.shortDescription), channel: text(d.author) };
  };

  const responses = (): (Response | null | undefined)[] => {
    const player = watchPlayer() as (Element & { getPlayerResponse?: () => Response | null }) | null;
    let fromPlayer: Response | null = null;
    try {
      fromPlayer = typeof player?.getPlayerResponse === 'function' ? player.getPlayerResponse() : null;
    } catch {
      fromPlayer = null;
    }
    return [fromPlayer, navigated?.response, navigated ? null : win.ytInitialPlayerResponse];
  };

  const currentDetails = (videoId: string) => {
    for (const response of responses()) {
      const details = detailsOf(response, videoId);
      if (details) return details;
    }
    return null;
  };

  const current = (videoId: string) => {
    const [fromPlayer] = responses();
    if (fromPlayer?.videoDetails?.videoId === videoId) return statusOf(fromPlayer, videoId);
    if (navigated && (navigated.response.videoDetails?.videoId ?? navigated.videoId) === videoId) return statusOf(navigated.response, videoId);
    const initial = win.ytInitialPlayerResponse;
    if (!navigated && initial && (initial.videoDetails?.videoId ?? initialId) === videoId) return statusOf(initial, videoId);
    return null;
  };

  const send = (answer: { id: number; status: unknown; details?: unknown }) => {
    document.dispatchEvent(new CustomEvent(`${channel}:answer`, { detail: JSON.stringify(answer) }));
  };

  document.addEventListener(`${channel}:ask`, (event) => {
    let ask: { id?: unknown; kind?: unknown; videoId?: unknown; seconds?: unknown };
    try {
      ask = JSON.parse(String((event as CustomEvent).detail));
    } catch {
      return;
    }
    if (ask.kind === 'seek' && typeof ask.seconds === 'number' && Number.isFinite(ask.seconds) && ask.seconds >= 0) {
      const player = (location.pathname.startsWith('/shorts/') ? document.querySelector(selectors.shortsPlayer) : watchPlayer()) as (Element & { seekTo?: (seconds: number, allowSeekAhead: boolean) => void }) | null;
      if (typeof player?.seekTo === 'function') player.seekTo(ask.seconds, true);
      return;
    }
    if (typeof ask.id !== 'number' || typeof ask.videoId !== 'string') return;
    if (ask.kind === 'status') send({ id: ask.id, status: current(ask.videoId) });
    else if (ask.kind === 'details') send({ id: ask.id, status: null, details: currentDetails(ask.videoId) });
  });

  document.addEventListener('yt-navigate-finish', (event) => {
    const detail = (event as CustomEvent).detail as { response?: { playerResponse?: Response }; endpoint?: { watchEndpoint?: { videoId?: string } } } | undefined;
    const response = detail?.response?.playerResponse;
    if (!response) return;
    const videoId = response.videoDetails?.videoId ?? detail?.endpoint?.watchEndpoint?.videoId ?? null;
    navigated = { videoId, response };
    if (videoId) send({ id: 0, status: statusOf(response, videoId), details: detailsOf(response, videoId) });
  });
}
