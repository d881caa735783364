// One codebase, a build for each browser: `TARGET=chrome|firefox vite build`
// writes dist/<target>. The source manifest is manifest.json (Chrome's shape);
// Firefox gets `background.scripts` and its gecko settings.
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
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

export default defineConfig({
  plugins: [crx({ manifest: manifestFor(target) as ManifestV3Export, browser: target })],
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
      },
    },
  },
  // Preact's JSX runtime, as tsconfig says.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
