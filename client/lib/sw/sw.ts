/// <reference lib="webworker" />
// The staff apps' service worker (registered by both with scope '/', see register.ts):
//  - the app shell (HTML, JS, CSS, icons, manifests) is precached, so a reload with no network
//    starts the app, and any path of an app opens that app's page (client-side routes);
//  - PGlite's wasm and data files (~17 MB) and the replicas' seeds (~1.3 MB each) are not
//    precached (installing would download them a second time beside the page): the replica's
//    worker fetches them after the first paint (reporting the first download's progress to
//    the pages, replica/download.ts) and they are kept from then on, cache first;
//  - a new version waits until the page says the person agreed to reload (the update prompt);
//  - a web push (server/jobs/send-push.ts) shows a system notification, one per booking, and
//    opening it opens that booking in the fieldworker app (focusing a window already open).
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { notificationOptions, type PushPayload } from '../../../shared/push-message.ts';
import { DATABASE_ASSETS_CACHE, isDatabaseAsset, KEEP_DATABASE_ASSETS, SKIP_WAITING } from './messages.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);
for (const app of ['admin', 'field']) {
  registerRoute(
    new NavigationRoute(createHandlerBoundToURL(`/${app}/index.html`), {
      allowlist: [new RegExp(`^/${app}/`)],
    }),
  );
}
registerRoute(({ url, request }) => request.method === 'GET' && isDatabaseAsset(url.pathname), databaseAsset);

self.addEventListener('message', (event) => {
  if (event.data?.type === SKIP_WAITING) void self.skipWaiting();
  if (event.data?.type === KEEP_DATABASE_ASSETS) event.waitUntil(keep(event.data.urls as string[]));
});

async function keep(urls: string[]): Promise<void> {
  const cache = await caches.open(DATABASE_ASSETS_CACHE);
  for (const url of urls) {
    if (!isDatabaseAsset(new URL(url).pathname) || (await cache.match(url))) continue;
    await cache.add(url); // immutable assets: the browser's HTTP cache answers, nothing is downloaded again
  }
}
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

async function databaseAsset({ request }: { request: Request }): Promise<Response> {
  const cache = await caches.open(DATABASE_ASSETS_CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (!response.ok || !response.body) return response;
  const [forPage, forCache] = response.body.tee();
  // Asset file names carry their content hash: a stored one never goes stale.
  void cache.put(request, new Response(forCache, { headers: response.headers }));
  return new Response(forPage, { headers: response.headers, status: response.status });
}

self.addEventListener('push', (event) => {
  let payload: PushPayload;
  try {
    payload = event.data?.json() as PushPayload;
  } catch {
    return;
  }
  if (!payload?.title) return;
  const { title, options } = notificationOptions(payload);
  event.waitUntil(self.registration.showNotification(title, options));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data?.url as string) ?? '/field/', self.location.origin).href;
  event.waitUntil(openOrFocus(url));
});

/** A fieldworker window already open goes to `url` and comes forward; else a new one opens. */
async function openOrFocus(url: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => new URL(w.url).pathname.startsWith('/field/'));
  if (open) {
    const moved = await open.navigate(url).catch(() => null);
    await (moved ?? open).focus().catch(() => {}); // allowed only while handling the click
    return;
  }
  await self.clients.openWindow(url);
}
