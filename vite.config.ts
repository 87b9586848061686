// One multi-page build: the admin app, the fieldworker app and the customer portal, each a
// Solid single-page app under its own path, sharing client/lib and shared/. One service worker
// (client/lib/sw/sw.ts, built to /sw.js) serves both staff apps; the portal does not use it.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { earlyReplicaWorker } from './scripts/early-replica-worker.ts';
import { replicaSeed } from './scripts/replica-seed.ts';

const root = resolve(import.meta.dirname, 'client');

export default defineConfig({
  root,
  base: '/',
  plugins: [
    replicaSeed(),
    earlyReplicaWorker(),
    solid(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'lib/sw',
      filename: 'sw.ts',
      injectRegister: false, // the staff apps register it themselves (lib/sw/register.ts)
      manifest: false, // each staff app has its own manifest (client/public/<app>/manifest.webmanifest)
      injectManifest: {
        // The shell only: PGlite's wasm/data are cached at first use instead (see sw.ts).
        globPatterns: ['**/*.{js,css,html,webmanifest,png,svg}'],
        globIgnores: ['portal/**', 'sw.js'],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
  ],
  // PGlite ships its own wasm loader; pre-bundling breaks its asset URLs.
  optimizeDeps: { exclude: ['@electric-sql/pglite'] },
  // STACK-NOTES §9: Vite defines globalThis.process.env as {}, the minifier then drops PGlite's
  // "am I in Node?" guard and every PGlite.create throws "process is not defined".
  // __APP_BUILD__: which build a tab and the replica's worker are from (client/lib/build.ts).
  define: { 'globalThis.process.env': 'undefined', __APP_BUILD__: JSON.stringify(new Date().toISOString()) },
  worker: {
    format: 'es',
    // V8 compiles every function of the worker's main chunk (PGlite and the sync) as it loads,
    // and keeps them all in its code cache: compiled lazily, they cost 160 ms of each warm
    // start (bench:admin), compiled again on every start because the cache held only the
    // functions the chunk's first run had called. (Chrome's explicit compile hints.)
    rolldownOptions: {
      output: {
        postBanner: (chunk) => (chunk.name === 'worker-main' ? '//# allFunctionsCalledOnLoad\n' : ''),
      },
    },
  },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        admin: resolve(root, 'admin/index.html'),
        field: resolve(root, 'field/index.html'),
        portal: resolve(root, 'portal/index.html'),
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/dev': 'http://127.0.0.1:3000' } },
});
