// The VAPID key pair every push is signed with (and that browsers subscribe with): from the
// environment (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY), else made once and kept in the database,
// so subscriptions stay valid across restarts and the worker, alone or not, signs with the
// same key the apps subscribed with.
import webpush from 'web-push';
import type { Queryable } from '../db/queryable.ts';

export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

/** The key pair in use: the environment's (stored, so every process agrees), else the stored one, else a new one. */
export async function ensureVapidKeys(db: Queryable, fromEnvironment?: VapidKeys): Promise<VapidKeys> {
  if (fromEnvironment) {
    await db.query(
      `INSERT INTO push_vapid_keys (public_key, private_key) VALUES ($1, $2)
       ON CONFLICT (singleton) DO UPDATE SET public_key = EXCLUDED.public_key, private_key = EXCLUDED.private_key
       WHERE push_vapid_keys.public_key IS DISTINCT FROM EXCLUDED.public_key`,
      [fromEnvironment.publicKey, fromEnvironment.privateKey],
    );
    return fromEnvironment;
  }
  const made = webpush.generateVAPIDKeys();
  // Two processes starting at once: the first insert wins, both read it.
  await db.query(
    'INSERT INTO push_vapid_keys (public_key, private_key) VALUES ($1, $2) ON CONFLICT (singleton) DO NOTHING',
    [made.publicKey, made.privateKey],
  );
  const stored = await readVapidKeys(db);
  if (!stored) throw new Error('The VAPID keys could not be stored.');
  return stored;
}

export async function readVapidKeys(db: Queryable): Promise<VapidKeys | null> {
  const { rows } = await db.query<VapidKeys>(
    'SELECT public_key AS "publicKey", private_key AS "privateKey" FROM push_vapid_keys',
  );
  return rows[0] ?? null;
}
