// A local push service, for tests and `npm run bench:push`: it hands out subscriptions as a
// browser would (a P-256 key pair and an auth secret per device), and for each push it
// receives it checks the VAPID JWT (ES256, signed by the key in `k=`, for this origin, not
// expired), then decrypts the aes128gcm body with the device's private key, as a browser does.
// Plain http: the product POSTs pushes with fetch (server/push/send-push-message.ts), and the
// server is started with PUSH_SERVICES naming this origin. Scripted answers stand in for a
// push service that is busy (503 with Retry-After) or has forgotten a device (410).
import { createECDH, createPublicKey, type ECDH, randomBytes, randomUUID, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';

export interface ReceivedPush {
  readonly deviceId: string;
  readonly payload: Record<string, unknown>;
  readonly headers: http.IncomingHttpHeaders;
  /** The `k=` of the Authorization header: the VAPID public key the push was signed with. */
  readonly vapidPublicKey: string;
  readonly jwtClaims: { aud: string; exp: number; sub: string };
  readonly at: number;
}

export interface FakeDevice {
  readonly id: string;
  /** As PushSubscription.toJSON() gives it. */
  readonly subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

export interface PushReceiver {
  readonly origin: string;
  readonly received: ReceivedPush[];
  /** Every request that reached it, answered or not, in order. */
  readonly requests: { deviceId: string; status: number }[];
  /** Pushes refused for a bad signature or body, with why. */
  readonly rejected: string[];
  device(): FakeDevice;
  /** The next answers for this device, in order (then 201 again). */
  script(deviceId: string, answers: readonly { status: number; retryAfter?: string }[]): void;
  stop(): Promise<void>;
}

/** `port` 0: any free one. */
export async function startPushReceiver(port = 0): Promise<PushReceiver> {
  const devices = new Map<string, { ecdh: ECDH; auth: string }>();
  const scripts = new Map<string, { status: number; retryAfter?: string }[]>();
  const received: ReceivedPush[] = [];
  const requests: { deviceId: string; status: number }[] = [];
  const rejected: string[] = [];
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const deviceId = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const answer = (status: number, headers: Record<string, string> = {}) => {
        requests.push({ deviceId, status });
        res.writeHead(status, headers).end();
      };
      const device = devices.get(deviceId);
      if (req.method !== 'POST' || !device) return answer(404);
      const scripted = scripts.get(deviceId)?.shift();
      if (scripted)
        return answer(scripted.status, scripted.retryAfter ? { 'retry-after': scripted.retryAfter } : {});
      try {
        const { claims, publicKey } = checkVapid(req.headers.authorization ?? '', origin);
        if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        const plaintext = ece.decrypt(Buffer.concat(chunks), {
          version: 'aes128gcm',
          privateKey: device.ecdh,
          authSecret: device.auth,
        }) as Buffer;
        received.push({
          deviceId,
          payload: JSON.parse(plaintext.toString('utf8')),
          headers: req.headers,
          vapidPublicKey: publicKey,
          jwtClaims: claims,
          at: performance.now(),
        });
        answer(201);
      } catch (error) {
        rejected.push(`${deviceId}: ${(error as Error).message}`);
        answer(400);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    requests,
    rejected,
    device() {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      devices.set(id, { ecdh, auth });
      return {
        id,
        subscription: {
          endpoint: `${origin}/push/${id}`,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth },
        },
      };
    },
    script(deviceId, answers) {
      scripts.set(deviceId, [...answers]);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The JWT's claims when its ES256 signature verifies with the key in `k=` and it is for `origin` and current. */
function checkVapid(authorization: string, origin: string) {
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(authorization);
  if (!match) throw new Error(`no VAPID Authorization header: ${authorization}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  const [header, body, signature] = jwt.split('.') as [string, string, string];
  const raw = Buffer.from(k, 'base64url');
  const key = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${body}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('the VAPID signature does not verify');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (claims.aud !== origin) throw new Error(`the JWT is for ${claims.aud}, not ${origin}`);
  if (!(claims.exp > Date.now() / 1000)) throw new Error('the JWT has expired');
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error(`the JWT's subject is ${claims.sub}`);
  return { claims, publicKey: k };
}
