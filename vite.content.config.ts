// The content script, built on its own as one classic script per browser
// (`dist/<target>/content.js`), after the main build. crxjs would load it
// through a loader that imports chunks listed as web-accessible resources,
// which any YouTube page can probe to detect the extension; one
// self-contained file needs no web-accessible resources at all.
import { defineConfig } from 'vite';

const target = process.env.TARGET === 'firefox' ? 'firefox' : 'chrome';

export default defineConfig({
  build: {
    outDir: `dist/${target}`,
    emptyOutDir: false,
    target: target === 'firefox' ? 'firefox140' : 'chrome116',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    lib: { entry: 'src/content/index.ts', formats: ['iife'], name: 'ArchiveLensContent', fileName: () => 'content.js' },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
