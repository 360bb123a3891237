import { defineConfig } from 'vitest/config';

/** Real Chromium against the real service: one file at a time, after every other suite (its own group). */
export default defineConfig({
  test: {
    name: 'dashboard-browser',
    root: import.meta.dirname,
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    sequence: { groupOrder: 1 },
  },
});
