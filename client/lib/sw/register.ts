// Registering the service worker, and the update prompt:
// a new version waits until the person presses Reload; the app holds that button back while
// writes are waiting, so a reload never happens under someone's feet.

import { type Accessor, createSignal } from 'solid-js';
import { Workbox } from 'workbox-window';
import { KEEP_DATABASE_ASSETS } from './messages.ts';

export interface ServiceWorkerState {
  /** A new version is installed and waiting. */
  readonly updateReady: Accessor<boolean>;
  /** Let the new version take over, then reload into it. */
  applyUpdate(): void;
  /**
   * The replica's worker loaded these database files without the service worker (it was not in
   * control yet): have it keep them too, from the HTTP cache, so the next start works offline.
   */
  keepDatabaseAssets(urls: readonly string[]): void;
}

const UPDATE_CHECK_MS = 30 * 60_000;
const CONTROL_WAIT_MS = 10_000;

export function registerServiceWorker(): ServiceWorkerState {
  const [updateReady, setUpdateReady] = createSignal(false);
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) {
    return {
      updateReady,
      applyUpdate: () => location.reload(),
      keepDatabaseAssets: () => undefined,
    };
  }
  // Scope '/', not the app's folder: Chromium puts a dedicated worker under the service worker
  // whose scope holds the worker's own script (/assets/…), so with /admin/ the replica's worker
  // would fetch PGlite's files from the network and could not start offline. The portal's pages
  // fall under it too; no route of the worker answers them, so they load as before.
  const wb = new Workbox('/sw.js', { scope: '/', type: 'classic' });
  wb.addEventListener('waiting', () => setUpdateReady(true));
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate) location.reload();
  });
  const controlled = new Promise<void>((resolve) => {
    if (navigator.serviceWorker.controller) return resolve();
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
    setTimeout(resolve, CONTROL_WAIT_MS); // no service worker (blocked, private mode): go on without
  });
  void wb
    .register({ immediate: true })
    .catch((error: unknown) => console.error('The service worker did not register', error));
  setInterval(() => void wb.update().catch(() => undefined), UPDATE_CHECK_MS);
  return {
    updateReady,
    applyUpdate: () => wb.messageSkipWaiting(),
    keepDatabaseAssets: (urls) =>
      void controlled.then(() => wb.messageSW({ type: KEEP_DATABASE_ASSETS, urls })),
  };
}
