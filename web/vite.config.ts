import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The dev server proxies `/api` (and the health endpoints) to the API so the browser sees one origin:
 * cookies and CSRF checks behave as in production, where nginx does the same proxying.
 */
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:4000';

/**
 * The production Content-Security-Policy (docker/nginx/osint-headers.conf; tests/infra/nginx.test.ts holds
 * the two equal), sent by `vite preview` so the browser suite runs the built app under it. Not by the dev
 * server: React Fast Refresh injects an inline preamble script there.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export default defineConfig({
  plugins: [react()],
  // Workspace packages (@osint/contracts) export their TypeScript under the `source` condition, as for
  // tsx and tsc: Vite bundles the sources, so they need no build first.
  resolve: { conditions: ['source', ...defaultClientConditions] },
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
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
});
