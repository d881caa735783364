// The one script ArchiveLens runs in YouTube's own JavaScript world: it reads
// what only the page knows (whether YouTube can play a video, from the player
// response) and answers the content script over two CustomEvent names made of
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

export type PageAsk =
  | { id: number; kind: 'status'; videoId: string }
  /** Seeks the playing video (the Short's player on Shorts); no answer. */
  | { id: number; kind: 'seek'; seconds: number };

export interface PageAnswer {
  /** The ask answered, or 0 for news the page sends on its own (a navigation finished). */
  id: number;
  status: PlayerStatus | null;
}

/** The players' selectors, handed in from the selectors module (this function cannot import). */
export interface PlayerSelectors {
  player: string;
  shortsPlayer: string;
}

export function playerDataInPage(channel: string, selectors: PlayerSelectors): void {
  type Response = {
    playabilityStatus?: { status?: string; desktopLegacyAgeGateReason?: unknown };
    videoDetails?: { videoId?: string };
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

  const current = (videoId: string) => {
    const player = document.querySelector(selectors.player) as (Element & { getPlayerResponse?: () => Response | null }) | null;
    let fromPlayer: Response | null = null;
    try {
      fromPlayer = typeof player?.getPlayerResponse === 'function' ? player.getPlayerResponse() : null;
    } catch {
      fromPlayer = null;
    }
    if (fromPlayer?.videoDetails?.videoId === videoId) return statusOf(fromPlayer, videoId);
    if (navigated && (navigated.response.videoDetails?.videoId ?? navigated.videoId) === videoId) return statusOf(navigated.response, videoId);
    const initial = win.ytInitialPlayerResponse;
    if (!navigated && initial && (initial.videoDetails?.videoId ?? initialId) === videoId) return statusOf(initial, videoId);
    return null;
  };

  const send = (answer: { id: number; status: unknown }) => {
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
      const selector = location.pathname.startsWith('/shorts/') ? selectors.shortsPlayer : selectors.player;
      const player = document.querySelector(selector) as (Element & { seekTo?: (seconds: number, allowSeekAhead: boolean) => void }) | null;
      if (typeof player?.seekTo === 'function') player.seekTo(ask.seconds, true);
      return;
    }
    if (typeof ask.id !== 'number' || ask.kind !== 'status' || typeof ask.videoId !== 'string') return;
    send({ id: ask.id, status: current(ask.videoId) });
  });

  document.addEventListener('yt-navigate-finish', (event) => {
    const detail = (event as CustomEvent).detail as { response?: { playerResponse?: Response }; endpoint?: { watchEndpoint?: { videoId?: string } } } | undefined;
    const response = detail?.response?.playerResponse;
    if (!response) return;
    const videoId = response.videoDetails?.videoId ?? detail?.endpoint?.watchEndpoint?.videoId ?? null;
    navigated = { videoId, response };
    if (videoId) send({ id: 0, status: statusOf(response, videoId) });
  });
}
