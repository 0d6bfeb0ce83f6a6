import { defineConfig } from 'vitest/config';

// The json reporter's file is what .ci/run reads for its "N passed, N failed" line.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.ci/results.json' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
