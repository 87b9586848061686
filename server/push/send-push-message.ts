// One push to one device: encrypted for the subscription's keys (aes128gcm) and signed with
// the VAPID key by web-push, then POSTed with fetch, which, unlike web-push's own sender,
// also reaches a plain-http push service (the tests' local receiver). The push service's
// answer decides what happens next: delivered, the subscription gone (404, 410: delete it),
// try again later (429, 5xx, no answer: honouring Retry-After), or refused for good.
import webpush from 'web-push';
import type { VapidKeys } from './vapid.ts';

export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

export interface PushOptions {
  readonly vapid: VapidKeys;
  readonly subject: string;
  /** How long the push service keeps it for a device that is off. */
  readonly ttlSeconds: number;
  readonly urgency: 'very-low' | 'low' | 'normal' | 'high';
  /** A later push with the same topic replaces one not yet delivered (URL-safe base64, ≤ 32 characters). */
  readonly topic: string;
}

export type PushOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'gone'; readonly status: number }
  | { readonly kind: 'retry'; readonly error: string; readonly retryAfterMs: number | null }
  | { readonly kind: 'refused'; readonly error: string };

const SEND_TIMEOUT_MS = 15_000;

export async function sendPushMessage(
  target: PushTarget,
  payload: string,
  options: PushOptions,
): Promise<PushOutcome> {
  const request = webpush.generateRequestDetails(
    { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
    payload,
    {
      vapidDetails: { subject: options.subject, ...options.vapid },
      TTL: options.ttlSeconds,
      urgency: options.urgency,
      topic: options.topic,
    },
  );
  let response: Response;
  try {
    response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body as unknown as BodyInit | null, // a Buffer
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      kind: 'retry',
      error: `The push service did not answer: ${(error as Error).message}`,
      retryAfterMs: null,
    };
  }
  await response.body?.cancel().catch(() => {});
  const { status } = response;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status === 404 || status === 410) return { kind: 'gone', status };
  if (status === 429 || status >= 500) {
    return {
      kind: 'retry',
      error: `The push service answered ${status}.`,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    };
  }
  return { kind: 'refused', error: `The push service refused the push (${status}).` };
}

/** A Retry-After header (seconds, or an HTTP date) in milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
