// One multi-page build: the admin app, the fieldworker app and the customer portal, each a
// Solid single-page app under its own path, sharing client/lib and shared/.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const root = resolve(import.meta.dirname, 'client');

export default defineConfig({
  root,
  base: '/',
  plugins: [solid()],
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
