// Tells the booking triggers who is making a change, for the audit trail: transaction-local
// settings (set_config(…, true)) that vanish at COMMIT, read in SQL by app_setting(name).
import type { ActorRole, Channel } from '../../shared/vocabulary.ts';
import type { Queryable } from './queryable.ts';

export interface Actor {
  readonly role: ActorRole;
  readonly userId?: string | null;
  readonly customerId?: string | null;
  readonly channel: Channel;
  /** When the person decided, on their device (differs from now for offline changes). */
  readonly clientAt?: Date | null;
  readonly writeId?: string | null;
}

/** Must run inside the transaction that makes the change. */
export async function setActor(db: Queryable, actor: Actor): Promise<void> {
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
