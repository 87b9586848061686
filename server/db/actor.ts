// Tells the booking triggers who is making a change, for the audit trail: transaction-local
// settings (set_config(…, true)) that vanish at COMMIT, read in SQL by app_setting(name).
import type pg from 'pg';

export type Channel = 'portal' | 'email_link' | 'admin_app' | 'field_app' | 'sql' | 'system';

export interface Actor {
  readonly role: 'customer' | 'admin' | 'fieldworker' | 'system';
  readonly userId?: string | null;
  readonly customerId?: string | null;
  readonly channel: Channel;
  /** When the person decided, on their device (differs from now for offline changes). */
  readonly clientAt?: Date | null;
  readonly writeId?: string | null;
}

/** Must run inside the transaction that makes the change. */
export async function setActor(db: Pick<pg.ClientBase, 'query'>, actor: Actor): Promise<void> {
  await db.query(
    `SELECT set_config('app.actor_role', $1, true), set_config('app.actor_user_id', $2, true),
            set_config('app.actor_customer_id', $3, true), set_config('app.channel', $4, true),
            set_config('app.client_at', $5, true), set_config('app.write_id', $6, true)`,
    [
      actor.role,
      actor.userId ?? '',
      actor.customerId ?? '',
      actor.channel,
      actor.clientAt ? actor.clientAt.toISOString() : '',
      actor.writeId ?? '',
    ],
  );
}
