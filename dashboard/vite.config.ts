import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

/** Where `vite` (dev) forwards API and socket traffic: a running `pnpm start` (PORT=8090 by habit). */
const DEV_BACKEND_URL = process.env.DUDAO_BACKEND ?? 'http://127.0.0.1:8090';

export default defineConfig({
  plugins: [vue()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: DEV_BACKEND_URL, changeOrigin: true },
      '/socket.io': { target: DEV_BACKEND_URL, ws: true, changeOrigin: true },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
  },
});
