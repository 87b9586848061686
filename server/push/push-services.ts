// Where pushes may be sent. A subscription's endpoint comes from a browser, so the server
// would POST to any address a signed-in person typed in (a request forged from inside the
// network). Only the push services browsers use are allowed, unless PUSH_SERVICES names
// others (a self-hosted service, or the tests' local receiver).

/** The push services of Chrome, Edge, Firefox and Safari, as origins; `*.` allows any subdomain. */
export const BROWSER_PUSH_SERVICES: readonly string[] = [
  'https://fcm.googleapis.com',
  'https://updates.push.services.mozilla.com',
  'https://*.notify.windows.com',
  'https://web.push.apple.com',
  'https://*.push.apple.com',
];

export type PushServices = readonly string[];

/** How this server sends pushes (server/config.ts). */
export interface PushConfig {
  /** From the environment; undefined: made once and kept in the database (vapid.ts). */
  readonly vapidKeys: { readonly publicKey: string; readonly privateKey: string } | undefined;
  /** Who runs this server, told to push services: `mailto:…` or `https:…`. */
  readonly subject: string;
  readonly services: PushServices;
}

/** Whether a subscription's endpoint belongs to one of `services`. */
export function isAllowedEndpoint(endpoint: string, services: PushServices): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return services.some((service) => {
    const match = /^(https?:)\/\/(\*\.)?([^/:]+)(?::(\d+))?\/?$/.exec(service.trim());
    if (!match) return false;
    const [, protocol, wildcard, host, port] = match;
    if (url.protocol !== protocol || url.port !== (port ?? '')) return false;
    return wildcard ? url.hostname.endsWith(`.${host}`) : url.hostname === host;
  });
}
