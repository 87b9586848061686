// Registering the service worker for one app (scope /admin/ or /field/), and the update prompt:
// a new version waits until the person presses Reload; the app holds that button back while
// writes are waiting, so a reload never happens under someone's feet.

import { type Accessor, createSignal } from 'solid-js';
import { Workbox } from 'workbox-window';

export interface ServiceWorkerState {
  /** A new version is installed and waiting. */
  readonly updateReady: Accessor<boolean>;
  /** Let the new version take over, then reload into it. */
  applyUpdate(): void;
  /** Resolves when the page is controlled (so the replica's downloads are cached), or after a wait. */
  readonly controlled: Promise<void>;
}

const UPDATE_CHECK_MS = 30 * 60_000;
const CONTROL_WAIT_MS = 5000;

export function registerServiceWorker(app: 'admin' | 'field'): ServiceWorkerState {
  const [updateReady, setUpdateReady] = createSignal(false);
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) {
    return { updateReady, applyUpdate: () => location.reload(), controlled: Promise.resolve() };
  }
  const wb = new Workbox('/sw.js', { scope: `/${app}/`, type: 'classic' });
  wb.addEventListener('waiting', () => setUpdateReady(true));
  wb.addEventListener('controlling', (event) => {
    if (event.isUpdate) location.reload();
  });
  const controlled = new Promise<void>((resolve) => {
    if (navigator.serviceWorker.controller) return resolve();
    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true });
    setTimeout(resolve, CONTROL_WAIT_MS); // no service worker (blocked, private mode): go on without
  });
  void wb.register().catch((error: unknown) => console.error('The service worker did not register', error));
  setInterval(() => void wb.update().catch(() => undefined), UPDATE_CHECK_MS);
  return {
    updateReady,
    applyUpdate: () => wb.messageSkipWaiting(),
    controlled,
  };
}
