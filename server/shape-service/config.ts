// The settings of `npm run shapes`, read from the environment with the names Electric's own
// sync service uses, so the two are configured alike. The service runs apart from the product
// and reads only these.
import path from 'node:path';
import { z } from 'zod';
import type { LogLevel } from './logger.ts';
import { DEFAULT_CHUNK_BYTES } from './shape-cache.ts';

const flag = z.enum(['true', 'false']).default('false');

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(z.string().url().optional())
    .optional()
    .describe('Required. The Postgres to serve shapes from (wal_level = logical).'),
  HOST: z.string().default('127.0.0.1').describe('Address to listen on. Default 127.0.0.1.'),
  ELECTRIC_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('Port to listen on. Default 3000.'),
  ELECTRIC_SECRET: z
    .string()
    .optional()
    .describe('Clients pass it as the `secret` query parameter. Required unless ELECTRIC_INSECURE=true.'),
  ELECTRIC_INSECURE: flag.describe(
    'true: without a secret, /v1/shape is open to anyone who can reach the port.',
  ),
  ELECTRIC_ENABLE_INTEGRATION_TESTING: flag.describe(
    'true: allows DELETE /v1/shape (for tests), as in Electric.',
  ),
  ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD: z.coerce
    .number()
    .int()
    .min(1, 'must be a whole number of bytes, at least 1')
    .default(DEFAULT_CHUNK_BYTES)
    .describe(
      'Bytes of messages after which a response is cut: snapshot chunks and log responses, ' +
        `splitting a larger transaction across responses. Default ${DEFAULT_CHUNK_BYTES} (10 MB).`,
    ),
  ELECTRIC_STORAGE_DIR: z
    .string()
    .trim()
    .min(1)
    .default('./persistent')
    .describe(
      'Folder where shape logs are kept, so a restart resumes every client from its offset. ' +
        'Default ./persistent. The replication slot is kept with them: it holds WAL while the service is stopped.',
    ),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error', 'silent'])
    .default('info')
    .describe('debug, info, warn, error or silent. Default info.'),
});

/** `npm run shapes -- --help`: every setting, from the schema that reads them. */
export function settingsHelp(): string {
  const lines = Object.entries(EnvSchema.shape).map(
    ([name, schema]) => `  ${name}\n      ${schema.description ?? ''}`,
  );
  return [
    'npm run shapes: the shape service alone, serving the Electric HTTP API at /v1/shape.',
    "Settings, from the environment (the names Electric's sync service uses):",
    ...lines,
  ].join('\n');
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ServiceConfig {
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  /** null: no secret asked for (ELECTRIC_INSECURE=true and no ELECTRIC_SECRET). */
  readonly secret: string | null;
  readonly allowDelete: boolean;
  readonly chunkBytes: number;
  readonly storageDir: string;
  readonly logLevel: LogLevel;
}

/** The configuration, or a ConfigError whose message tells a person what to set. */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (!e.DATABASE_URL) {
    throw new ConfigError(
      'npm run shapes needs DATABASE_URL: the Postgres (wal_level = logical) to serve shapes from.',
    );
  }
  const secret = e.ELECTRIC_SECRET || null;
  if (!secret && e.ELECTRIC_INSECURE !== 'true') {
    throw new ConfigError(
      'Set ELECTRIC_SECRET (clients pass it as the `secret` query parameter), ' +
        'or ELECTRIC_INSECURE=true to serve shapes to anyone who can reach this port.',
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    host: e.HOST,
    port: e.ELECTRIC_PORT,
    secret,
    allowDelete: e.ELECTRIC_ENABLE_INTEGRATION_TESTING === 'true',
    chunkBytes: e.ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD,
    storageDir: path.resolve(e.ELECTRIC_STORAGE_DIR),
    logLevel: e.LOG_LEVEL,
  };
}
