// Configuration from the environment, validated once at boot. Every setting has an
// embedded default, so `npm start` needs none of them.
import path from 'node:path';
import { z } from 'zod';
import { BROWSER_PUSH_SERVICES, type PushConfig } from './push/push-services.ts';

const port = z.coerce.number().int().min(0).max(65535);
/** A port that may be left unset (or empty): then the server picks one, see server/ports.ts. */
const optionalPort = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  port.optional(),
);

/** Tried first when EMBEDDED_PG_PORT / DEV_SMTP_PORT are unset; taken, another free port is used. */
export const DEFAULT_EMBEDDED_PG_PORT = 54329;
export const DEFAULT_DEV_SMTP_PORT = 2525;
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.string().url().optional())
  .optional();

const EnvSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalUrl,
  DATA_DIR: z.string().default('./.data'),
  DATABASE_URL: optionalUrl,
  /**
   * Port of the embedded Postgres (only without DATABASE_URL). Unset: the port this data
   * folder used last, else 54329, else any free one; 0: any free one.
   */
  EMBEDDED_PG_PORT: optionalPort,
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default('Bookings <bookings@example.com>'),
  /** Port of the dev mailbox's SMTP listener (only without SMTP_URL). Unset: 2525, else any free one; 0: any free one. */
  DEV_SMTP_PORT: optionalPort,
  ELECTRIC_URL: optionalUrl,
  ELECTRIC_SECRET: z.string().optional(),
  // `npm run shapes` (the shape service alone) reads its own settings: server/shape-service/config.ts.
  /** Run the job worker inside the server (default) or leave it to `npm run worker`. */
  WORKER: z.enum(['inline', 'off']).default('inline'),
  /** Seed demo data into an empty database (default on). */
  SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** Express's "trust proxy": set when a reverse proxy sits in front, so rate limits see the client's address. */
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** The VAPID key pair pushes are signed with (both, or neither: then made once and kept in the database). */
  VAPID_PUBLIC_KEY: z.string().trim().optional(),
  VAPID_PRIVATE_KEY: z.string().trim().optional(),
  /** Who runs this server, for push services: `mailto:` or `https:`. Unset: mailto: MAIL_FROM's address. */
  VAPID_SUBJECT: z
    .string()
    .trim()
    .regex(/^(mailto:|https:)/, 'VAPID_SUBJECT must start with mailto: or https:')
    .optional(),
  /** Origins pushes may go to, comma-separated (`*.` for subdomains). Unset: the browsers' push services. */
  PUSH_SERVICES: z.string().optional(),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(e.HOST);
  if (!e.SMTP_URL && !loopback) {
    // The dev mailbox shows every email, sign-in links included, to whoever can reach it.
    throw new ConfigError(
      `HOST=${e.HOST} without SMTP_URL would let anyone on the network read every email in the dev mailbox, ` +
        'sign-in links included. Set SMTP_URL to a real mail server, or leave HOST at 127.0.0.1.',
    );
  }
  if (Boolean(e.VAPID_PUBLIC_KEY) !== Boolean(e.VAPID_PRIVATE_KEY)) {
    throw new ConfigError(
      'Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (then a key pair is made once and kept in the database).',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    /** Where people reach the server; unset: http://localhost:PORT (the port really bound). */
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    /** undefined: not set, the server picks one (server/db/embedded-postgres.ts). */
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    /** undefined: not set, 2525 or any free port. */
    devSmtpPort: e.DEV_SMTP_PORT,
    electricUrl: e.ELECTRIC_URL,
    electricSecret: e.ELECTRIC_SECRET,
    worker: e.WORKER,
    seedDemo: e.SEED_DEMO === 'true',
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    push: {
      vapidKeys:
        e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY
          ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY }
          : undefined,
      subject: e.VAPID_SUBJECT ?? `mailto:${/<([^>]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM.trim()}`,
      services: e.PUSH_SERVICES
        ? e.PUSH_SERVICES.split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : BROWSER_PUSH_SERVICES,
    } satisfies PushConfig,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
