// Web push on this device: whether it can be on, turning it on (the browser's permission, then
// PushManager.subscribe with the server's VAPID key, then the subscription stored through tRPC
// under a device id kept in this browser) and off, and sending the current subscription again
// at each start, so the server has the new one when the browser replaced it.
import { UserFacingError } from '../errors.ts';
import { api } from '../trpc.ts';

const DEVICE_KEY = 'push-device-id';

export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

/** The replica's callServer: a screen's own server call, which the sync steps aside for. */
type CallServer = <T>(call: () => Promise<T>) => Promise<T>;

export const PUSH_DENIED =
  'This browser blocks notifications from this app. To allow them, open the site’s settings (the icon beside the address, or the app’s info on your phone), set Notifications to Allow, then come back here.';

/** Made once per browser and kept: the server keeps one subscription per person and device. */
export function pushDeviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

export async function pushState(): Promise<PushState> {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  if (Notification.permission !== 'granted') return 'off';
  const registration = await navigator.serviceWorker.ready;
  return (await registration.pushManager.getSubscription()) ? 'on' : 'off';
}

/** Asks the browser, subscribes with the server's key and stores the subscription on the server. */
export async function turnOnPush(callServer: CallServer): Promise<void> {
  if (!supported()) throw new UserFacingError('This browser cannot show notifications from a web app.');
  const permission = await Notification.requestPermission();
  if (permission === 'denied') throw new UserFacingError(PUSH_DENIED);
  if (permission !== 'granted')
    throw new UserFacingError('Notifications were not allowed. Press the button again to choose.');
  const { publicKey } = await callServer(() => api.push.publicKey.query());
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && keyOf(subscription) !== publicKey) {
    await subscription.unsubscribe(); // made with another key: the server could not push to it
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: publicKey,
  });
  await store(subscription, callServer);
}

/** Sends this device's subscription again (the browser may have replaced it); quiet when it cannot. */
export async function refreshPushSubscription(callServer: CallServer): Promise<void> {
  if ((await pushState()) !== 'on') return;
  const subscription = await (await navigator.serviceWorker.ready).pushManager.getSubscription();
  if (subscription) await store(subscription, callServer);
}

/** Unsubscribes this browser and tells the server (at sign-out, or when turned off). */
export async function turnOffPush(): Promise<void> {
  if (!supported()) return;
  const registration = await navigator.serviceWorker.getRegistration('/');
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
  await api.push.unsubscribe.mutate({ writeId: crypto.randomUUID(), deviceId: pushDeviceId() });
}

async function store(subscription: PushSubscription, callServer: CallServer) {
  const json = subscription.toJSON();
  await callServer(() =>
    api.push.subscribe.mutate({
      writeId: crypto.randomUUID(),
      deviceId: pushDeviceId(),
      endpoint: json.endpoint ?? '',
      keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    }),
  );
}

/** The VAPID key a subscription was made with, base64url like the server's. */
function keyOf(subscription: PushSubscription): string | null {
  const key = subscription.options.applicationServerKey;
  if (!key) return null;
  const bytes = new Uint8Array(key);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
