// One codebase, a build for each browser: `TARGET=chrome|firefox vite build`
// writes dist/<target>. The source manifest is manifest.json (Chrome's shape);
// Firefox gets `background.scripts` and its gecko settings.
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { readFileSync, writeFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import baseManifest from './manifest.json' with { type: 'json' };
import pkg from './package.json' with { type: 'json' };

export type Target = 'chrome' | 'firefox';

export const GECKO_ID = 'archivelens@archivelens.dev';

export function manifestFor(target: Target) {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  manifest.version = pkg.version;
  if (target === 'firefox') {
    const { service_worker, ...background } = manifest.background;
    return {
      ...manifest,
      background: { ...background, scripts: [service_worker] },
      // Firefox's background page starts the sync engine's worker itself (background/engine-host.ts);
      // its fetch reads ahead whatever the answer says, so downloads are not paced there (background/download-pacing.ts).
      permissions: manifest.permissions.filter((p) => p !== 'offscreen' && p !== 'declarativeNetRequestWithHostAccess'),
      browser_specific_settings: {
        gecko: {
          id: GECKO_ID,
          strict_min_version: '140.0',
          data_collection_permissions: { required: ['none'] },
        },
        gecko_android: { strict_min_version: '142.0' },
      },
    };
  }
  return { ...manifest, minimum_chrome_version: '116' };
}

const target: Target = process.env.TARGET === 'firefox' ? 'firefox' : 'chrome';

function withoutContentScripts<T extends { content_scripts?: unknown }>(manifest: T): Omit<T, 'content_scripts'> {
  const { content_scripts: _built_apart, ...rest } = manifest;
  return rest;
}

/** Where vite.content.config.ts writes the content script, as one classic file. */
export const CONTENT_SCRIPT = 'content.js';

/**
 * The content script is built apart (vite.content.config.ts) as one file, so
 * the manifest lists it directly and declares no web-accessible resources: a
 * YouTube page has nothing to probe to detect the extension. crxjs builds
 * everything else.
 */
function contentScriptWithoutLoader(): Plugin {
  return {
    name: 'archivelens-content-script',
    apply: 'build',
    enforce: 'post',
    closeBundle() {
      const path = `dist/${target}/manifest.json`;
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      delete manifest.web_accessible_resources;
      manifest.content_scripts = baseManifest.content_scripts.map((script) => ({ ...script, js: [CONTENT_SCRIPT] }));
      writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  plugins: [crx({ manifest: withoutContentScripts(manifestFor(target)) as ManifestV3Export, browser: target }), contentScriptWithoutLoader()],
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: true,
    target: target === 'firefox' ? 'firefox140' : 'chrome116',
    // Readable output: store reviewers read the bundle.
    minify: false,
    sourcemap: false,
    rollupOptions: {
      input: {
        popup: 'src/popup/index.html',
        options: 'src/options/index.html',
        library: 'src/library/index.html',
        // Chrome's service worker starts the sync engine's worker through it (background/engine-host.ts).
        ...(target === 'chrome' ? { offscreen: 'src/offscreen/index.html' } : {}),
      },
    },
  },
  // The sync engine's worker is a module worker (engine/worker.ts).
  worker: { format: 'es' },
  // Preact's JSX runtime, as tsconfig says.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
