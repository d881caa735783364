import { defineConfig } from 'vitest/config';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['test/support/setup.ts'],
    // Tests read the real archives; a fresh, shared 2-core machine is slow.
    // Every test stays far from this (the slowest five are printed).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/slowest-reporter.ts'],
    // Vitest keeps a core free by default: on CI's two cores the files ran one
    // at a time (391 s); two at once took 255 s. Test files that share a
    // template repository build it each in a folder of their own (git-archive-repo.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
  resolve: {
    alias: {
      // Unit and component tests run against an in-memory browser API.
      'webextension-polyfill': fileURLToPath(new URL('./test/support/fake-browser.ts', import.meta.url)),
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
