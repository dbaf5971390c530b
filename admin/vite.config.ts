// Builds the newsroom's admin app into dist/admin, served by `broadsheet start` at /admin.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm start` runs (its PUBLIC_URL) for `npm run admin:dev`. */
const API_ORIGIN = process.env.BROADSHEET_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    // scripts/build-admin.mjs keeps the previous build's chunks for open tabs and removes older ones.
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    // The editor (Tiptap/ProseMirror) is its own chunk: the list, dashboard and sign-in load without it.
    chunkSizeWarningLimit: 600,
    // Build-time profiling notes are noise in `npm start` and test output.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: {
    // `npm run admin:dev`: Vite with hot reload, API calls proxied to a running `npm start`.
    // The Admin API accepts only its own origin (PUBLIC_URL): the proxy presents the page as coming from there.
    proxy: Object.fromEntries(
      ['/api', '/media', '/preview'].map((prefix) => [
        prefix,
        {
          target: API_ORIGIN,
          configure: (proxy: { on(event: 'proxyReq', listener: (request: { setHeader(name: string, value: string): void }) => void): void }) =>
            proxy.on('proxyReq', (request) => request.setHeader('origin', API_ORIGIN)),
        },
      ]),
    ),
  },
});
