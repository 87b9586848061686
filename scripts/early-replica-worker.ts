// A Vite plugin: each staff app's page starts its replica's worker from a line in its HTML,
// before the app's own script has even arrived. The worker script (PGlite and the sync, about
// 0.7 MB) then loads and compiles while the app's does, instead of after it: on a warm start
// that was a quarter of a second between the app running and the worker answering
// (bench:admin). The app adopts that worker (client/lib/replica/open-replica.ts); the worker
// does nothing until the app tells it what to open. Build only: in development the app starts
// its worker itself.
import type { Plugin } from 'vite';
import { EARLY_WORKER_GLOBAL, WORKER_CREATED_MARK } from '../client/lib/replica/channel.ts';

export function earlyReplicaWorker(): Plugin {
  return {
    name: 'early-replica-worker',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!context.bundle || context.path.startsWith('/portal/')) return html;
        const worker = Object.keys(context.bundle).find((file) =>
          /(^|\/)replica\.worker-[^/]*\.js$/.test(file),
        );
        if (!worker) throw new Error('early-replica-worker: the build has no replica worker');
        const url = JSON.stringify(`/${worker}`);
        // A classic script: it runs as the parser reaches it, not after the document.
        const start = `try { performance.mark(${JSON.stringify(WORKER_CREATED_MARK)}); globalThis.${EARLY_WORKER_GLOBAL} = new Worker(${url}, { type: 'module' }); } catch {}`;
        return [{ tag: 'script', children: start, injectTo: 'head-prepend' }];
      },
    },
  };
}
