import { defineConfig } from 'vitest/config';

/** One run over every package (the README's test command); each package keeps its own config. */
export default defineConfig({
  test: {
    projects: [
      'domain',
      'db',
      'ingest-service',
      'scripts',
      'dashboard/vitest.unit.config.ts',
      'dashboard/vitest.browser.config.ts',
    ],
  },
});
