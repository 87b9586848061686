// Emailed link tokens (DESIGN §5): 256 random bits in the link, SHA-256 in the table, tied
// to one customer (and for booking links, one booking), with expiry and revocation.
import type { Queryable } from '../db/queryable.ts';
import { hashToken, newToken } from './sessions.ts';

export type LinkPurpose = 'sign_in' | 'view_booking' | 'cancel_booking';

export const SIGN_IN_LINK_MINUTES = 30;

export async function issueLinkToken(
  db: Queryable,
  link: { purpose: LinkPurpose; customerId: string; bookingId?: string; expiresAt: Date },
): Promise<string> {
  const token = newToken();
  await db.query(
    `INSERT INTO link_tokens (token_hash, purpose, customer_id, booking_id, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [hashToken(token), link.purpose, link.customerId, link.bookingId ?? null, link.expiresAt],
  );
  return token;
}

export type LinkLookup =
  | { status: 'valid'; purpose: LinkPurpose; customerId: string; bookingId: string | null }
  | { status: 'invalid' }; // unknown, forged, expired, used or revoked: one answer for all

/** Reads a token without changing anything (a mail scanner opening a link uses nothing up). */
export async function peekLinkToken(
  db: Queryable,
  token: string,
  purposes: LinkPurpose[],
): Promise<LinkLookup> {
  const { rows } = await db.query<{ purpose: LinkPurpose; customer_id: string; booking_id: string | null }>(
    `SELECT purpose, customer_id, booking_id FROM link_tokens
      WHERE token_hash = $1 AND purpose = ANY($2) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
    [hashToken(token), purposes],
  );
  const row = rows[0];
  return row
    ? { status: 'valid', purpose: row.purpose, customerId: row.customer_id, bookingId: row.booking_id }
    : { status: 'invalid' };
}

/** Uses a sign-in token up, atomically: of two concurrent redemptions, one wins. */
export async function redeemSignInToken(db: Queryable, token: string): Promise<string | null> {
  const { rows } = await db.query<{ customer_id: string }>(
    `UPDATE link_tokens SET used_at = now()
      WHERE token_hash = $1 AND purpose = 'sign_in' AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      RETURNING customer_id`,
    [hashToken(token)],
  );
  return rows[0]?.customer_id ?? null;
}
