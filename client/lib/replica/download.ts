// The database's big files (PGlite's engine, the replica's seed), fetched by the replica's
// worker. The first download on a device tells the pages how far it is, and they show it
// (ui/DatabaseDownload.tsx); from the service worker's cache (sw.ts) it is quick and says
// nothing. The worker reports it, not the service worker, because the worker may start before
// the service worker controls the page (the sign-in page warms the engine).
import { DATABASE_ASSETS_CACHE } from '../sw/messages.ts';

/** The first download of the database's files, reported as it arrives. */
export const ASSET_PROGRESS_CHANNEL = 'database-asset-progress';
export interface AssetProgress {
  readonly url: string;
  readonly loaded: number;
  readonly total: number;
  readonly done: boolean;
}

const REPORT_EVERY_BYTES = 256 * 1024;

/** Fetches one of the database's files; rejects unless it comes (2xx). */
export async function downloadDatabaseFile(url: URL | string): Promise<Response> {
  const href = String(url);
  const cached = await caches
    .open(DATABASE_ASSETS_CACHE)
    .then((cache) => cache.match(href))
    .catch(() => undefined);
  const response = await fetch(href);
  if (!response.ok) throw new Error(`${response.status} for ${new URL(href).pathname}`);
  if (cached || !response.body) return response;
  const total = Number(response.headers.get('content-length')) || 0;
  return new Response(withProgress(response.body, href, total), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function withProgress(
  body: ReadableStream<Uint8Array>,
  url: string,
  total: number,
): ReadableStream<Uint8Array> {
  const channel = new BroadcastChannel(ASSET_PROGRESS_CHANNEL);
  const post = (progress: AssetProgress) => channel.postMessage(progress);
  let loaded = 0;
  let lastPost = 0;
  const reader = body.getReader();
  post({ url, loaded, total, done: false });
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        post({ url, loaded, total, done: true });
        channel.close();
        controller.close();
        return;
      }
      loaded += value.byteLength;
      if (loaded - lastPost > REPORT_EVERY_BYTES) {
        lastPost = loaded;
        post({ url, loaded, total, done: false });
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
