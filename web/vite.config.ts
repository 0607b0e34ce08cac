import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dev server proxies `/api` (and the health endpoints) to the API so the browser sees one origin:
 * cookies and CSRF checks behave as in production, where nginx does the same proxying.
 */
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  // Pre-bundled at start: otherwise the first visit to the graph tab discovers cytoscape and reloads the page.
  optimizeDeps: { include: ['cytoscape', 'react-router', '@tanstack/react-query'] },
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    strictPort: true,
    proxy: {
      '/api': { target: apiUrl, changeOrigin: false },
      '/readyz': { target: apiUrl },
    },
    // Polling is opt-in for bind mounts that do not forward inotify events (Docker Desktop, some VMs).
    watch: process.env.CHOKIDAR_USEPOLLING ? { usePolling: true, interval: 200 } : undefined,
    hmr: process.env.VITE_HMR_CLIENT_PORT
      ? { clientPort: Number(process.env.VITE_HMR_CLIENT_PORT) }
      : undefined,
  },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
});
