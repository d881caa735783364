import { defineConfig } from 'vitest/config';

// End-to-end tests drive real browsers one at a time; they share a machine
// with 2 cores, so files run sequentially.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/slowest-reporter.ts'],
  },
});
