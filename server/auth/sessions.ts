// Server-side sessions. The cookie carries a random 256-bit token; the table keeps only its
// SHA-256, so a read of the table cannot be replayed as a cookie.
import { createHash, randomBytes } from 'node:crypto';
import type { StaffRole } from '../../shared/vocabulary.ts';
import type { Queryable } from '../db/queryable.ts';

export const SESSION_COOKIE = 'session';
const STAFF_DAYS = 14;
const CUSTOMER_DAYS = 30;

export type Session =
  | { role: StaffRole; userId: string; name: string; email: string }
  | { role: 'customer'; customerId: string; name: string; email: string };

export type SessionSubject = { role: StaffRole; userId: string } | { role: 'customer'; customerId: string };

export const newToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

export async function createSession(
  db: Queryable,
  subject: SessionSubject,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const days = subject.role === 'customer' ? CUSTOMER_DAYS : STAFF_DAYS;
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await db.query(
    `INSERT INTO sessions (token_hash, role, user_id, customer_id, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [
      hashToken(token),
      subject.role,
      subject.role === 'customer' ? null : subject.userId,
      subject.role === 'customer' ? subject.customerId : null,
      expiresAt,
    ],
  );
  return { token, expiresAt };
}

/** The live session for a cookie value, or null (unknown, forged, expired, or a disabled account). */
export async function findSession(db: Queryable, token: string | undefined): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const { rows } = await db.query<{
    role: Session['role'];
    user_id: string | null;
    customer_id: string | null;
    name: string;
    email: string;
  }>(
    `SELECT s.role, s.user_id, s.customer_id, coalesce(u.name, c.name) AS name, coalesce(u.email, c.email) AS email
       FROM sessions s
       LEFT JOIN users u ON u.id = s.user_id AND u.active
       LEFT JOIN customers c ON c.id = s.customer_id
      WHERE s.token_hash = $1 AND s.expires_at > now() AND (u.id IS NOT NULL OR c.id IS NOT NULL)`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.role === 'customer' && row.customer_id) {
    return { role: 'customer', customerId: row.customer_id, name: row.name, email: row.email };
  }
  if (row.role !== 'customer' && row.user_id) {
    return { role: row.role, userId: row.user_id, name: row.name, email: row.email };
  }
  return null;
}

export async function deleteSession(db: Queryable, token: string | undefined): Promise<void> {
  if (token) await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}
