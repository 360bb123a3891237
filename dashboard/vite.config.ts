import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { precompress } from './build/precompress.ts';
import { preloadApp } from './build/preloadApp.ts';

/** Where `vite` (dev) forwards API and socket traffic: a running `pnpm start` (PORT=8090 by habit). */
const DEV_BACKEND_URL = process.env.DUDAO_BACKEND ?? 'http://127.0.0.1:8090';

export default defineConfig({
  plugins: [vue(), preloadApp(), precompress()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target: DEV_BACKEND_URL, changeOrigin: true },
      '/socket.io': { target: DEV_BACKEND_URL, ws: true, changeOrigin: true },
    },
  },
  build: {
    target: 'es2022',
    // ECharts (already tree-shaken to the charts the panels use) is one ~630 KB chunk of its own.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: their own chunks stay cached across deploys.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/ },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/ },
            {
              name: 'socket',
              test: /node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io)[\\/]/,
            },
          ],
        },
      },
    },
  },
});
