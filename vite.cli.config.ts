// Builds the command-line tool into dist/cli for Node.
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    ssr: 'src/cli/run.ts',
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    rollupOptions: { output: { entryFileNames: 'archive-lens.js' } },
  },
  ssr: { noExternal: true },
});
