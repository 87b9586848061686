// What every tRPC procedure receives. Built per HTTP request by server/http, or by tests
// with `createTestContext`, so procedures never touch Express objects.

import type { RateLimits } from '../auth/rate-limit.ts';
import type { Session } from '../auth/sessions.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { PushConfig } from '../push/push-services.ts';

export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, expires: Date): void;
  clear(name: string): void;
}

export interface Context {
  readonly pool: Pool;
  readonly session: Session | null;
  readonly cookies: CookieJar;
  /** The caller's address, for rate limits. */
  readonly ip: string;
  readonly rateLimits: RateLimits;
  readonly log: Logger;
  /** Where pushes may go, and the VAPID keys from the environment (server/config.ts). */
  readonly push: PushConfig;
}
