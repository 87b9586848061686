// Push subscriptions: one per device and person. A device's new subscription replaces its old
// one; an endpoint another person subscribed on this browser (who signed out offline, so theirs
// was never removed) becomes this person's, so a shared device never shows the last person's
// notifications.
import type { Queryable } from './queryable.ts';

export async function saveSubscription(
  db: Queryable,
  s: { userId: string; deviceId: string; endpoint: string; p256dh: string; auth: string },
): Promise<{ id: string }> {
  await db.query('DELETE FROM push_subscriptions WHERE user_id = $1 AND device_id = $2 AND endpoint <> $3', [
    s.userId,
    s.deviceId,
    s.endpoint,
  ]);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO push_subscriptions (user_id, device_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, device_id = EXCLUDED.device_id,
       p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
     RETURNING id`,
    [s.userId, s.deviceId, s.endpoint, s.p256dh, s.auth],
  );
  const row = rows[0];
  if (!row) throw new Error('The push subscription was not stored.');
  return row;
}

export async function removeSubscription(db: Queryable, userId: string, deviceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM push_subscriptions WHERE user_id = $1 AND device_id = $2',
    [userId, deviceId],
  );
  return (rowCount ?? 0) > 0;
}

/** A deactivated person's devices get no more pushes. */
export async function removeAllSubscriptions(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM push_subscriptions WHERE user_id = $1', [userId]);
}
