import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  test: {
    name: 'dashboard-unit',
    root: import.meta.dirname,
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
  },
});
