// A local HTTPS server that impersonates www.youtube.com closely enough for
// the content script: a watch page shaped like YouTube's (ytd-app,
// ytd-watch-flexy[video-id], #primary/#below/#secondary/#secondary-inner),
// SPA navigation that pushes history, updates `video-id` after the URL and
// fires yt-navigate-start/-finish, `html[dark]`, the --yt-spec-* variables,
// one-column layouts below 1000px, and YouTube's Trusted Types CSP.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Tls } from './tls';

const PAGE_SCRIPT = String.raw`
(() => {
  const flexy = () => document.querySelector('ytd-watch-flexy');
  const idOf = (url) => new URL(url, location.href).searchParams.get('v');
  function layout() {
    const f = flexy();
    if (!f) return;
    if (innerWidth >= 1000) f.setAttribute('is-two-columns_', ''); else f.removeAttribute('is-two-columns_');
  }
  // Like YouTube: the URL changes first, the DOM a moment later.
  window.ytNavigate = (url) => {
    document.dispatchEvent(new CustomEvent('yt-navigate-start'));
    history.pushState({}, '', url);
    const id = idOf(url);
    setTimeout(() => {
      const f = flexy();
      if (id) {
        f.setAttribute('video-id', id);
        f.hidden = false;
        document.querySelector('#title').textContent = 'Video ' + id;
      } else {
        f.removeAttribute('video-id');
        f.hidden = true;
      }
      document.dispatchEvent(new CustomEvent('yt-navigate-finish', { detail: { pageType: id ? 'watch' : 'browse' } }));
    }, 30);
  };
  document.addEventListener('click', (event) => {
    const a = event.target.closest('a[data-spa]');
    if (!a) return;
    event.preventDefault();
    ytNavigate(a.href);
  });
  addEventListener('popstate', () => {
    const id = idOf(location.href);
    setTimeout(() => {
      if (id) flexy().setAttribute('video-id', id);
      document.dispatchEvent(new CustomEvent('yt-navigate-finish'));
    }, 30);
  });
  addEventListener('resize', layout);
  layout();
})();
`;

const STYLE = `
html { font-size: 10px; font-family: Roboto, "Noto Sans CJK TC", sans-serif; }
html { --yt-spec-base-background: #fff; --yt-spec-text-primary: #0f0f0f; --yt-spec-text-secondary: #606060;
  --yt-spec-badge-chip-background: rgba(0,0,0,0.05); --yt-spec-10-percent-layer: rgba(0,0,0,0.1); --yt-spec-call-to-action: #065fd4; }
html[dark] { --yt-spec-base-background: #0f0f0f; --yt-spec-text-primary: #f1f1f1; --yt-spec-text-secondary: #aaa;
  --yt-spec-badge-chip-background: rgba(255,255,255,0.1); --yt-spec-10-percent-layer: rgba(255,255,255,0.2); --yt-spec-call-to-action: #3ea6ff; }
body { margin: 0; background: var(--yt-spec-base-background); color: var(--yt-spec-text-primary); }
ytd-app, ytd-page-manager, ytd-watch-flexy, ytd-watch-metadata { display: block; }
#columns { display: flex; gap: 24px; padding: 24px; }
#primary { flex: 1; }
#player { aspect-ratio: 16 / 9; background: #000; border-radius: 12px; }
#secondary { width: 402px; flex: none; }
ytd-watch-flexy:not([is-two-columns_]) #secondary { display: none; }
#related a { display: block; padding: 6px 0; color: var(--yt-spec-text-primary); font-size: 1.4rem; }
h1 { font-size: 2rem; }
`;

function watchPage(videoId: string | null, dark: boolean): string {
  const related = ['-VWLP6-06Jc', 'GorsYGIeIK4', 'dQw4w9WgXcQ', 'W3-13_eyVQ4']
    .map((id) => `<a data-spa href="/watch?v=${id}">Video ${id}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en"${dark ? ' dark' : ''}>
<head><meta charset="utf-8"><title>YouTube</title><style>${STYLE}</style></head>
<body>
<ytd-app><ytd-page-manager id="page-manager">
  <ytd-watch-flexy ${videoId ? `video-id="${videoId}"` : 'hidden'} is-two-columns_>
    <div id="columns">
      <div id="primary"><div id="primary-inner">
        <div id="player"></div>
        <div id="below"><ytd-watch-metadata><h1 id="title">Video ${videoId ?? ''}</h1></ytd-watch-metadata>
          <div id="comments">Comments</div></div>
      </div></div>
      <div id="secondary"><div id="secondary-inner"><div id="related">${related}
        <a data-spa href="/">Home</a></div></div></div>
    </div>
  </ytd-watch-flexy>
</ytd-page-manager></ytd-app>
<script>${PAGE_SCRIPT}</script>
</body></html>`;
}

export interface FakeYouTube {
  port: number;
  origin: string;
  close(): Promise<void>;
}

export async function startFakeYouTube(tls: Tls): Promise<FakeYouTube> {
  const server: Server = createServer(tls, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://www.youtube.com');
    const dark = url.searchParams.get('theme') === 'dark';
    const videoId = url.pathname === '/watch' ? url.searchParams.get('v') : null;
    if (url.pathname === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // YouTube enforces Trusted Types: innerHTML with a string throws.
      'content-security-policy': "require-trusted-types-for 'script'",
      'cache-control': 'no-store',
    });
    res.end(watchPage(videoId, dark));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: 'https://www.youtube.com',
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
