import { defineConfig } from 'vitest/config';

// The scale scenarios (`npm run test:scale`): society ×32 and the heavy
// archive in real browsers, one at a time, as the end-to-end tests run.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.scale.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 900_000,
    reporters: ['default', './test/support/slowest-reporter.ts'],
  },
});
