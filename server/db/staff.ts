// Staff, as the admin app's Staff screen changes them: invite (a new account and an emailed
// set-password link), change role, deactivate or reactivate, and send a password reset link.
// Accounts and their links are made in server/auth/staff-accounts.ts; the emails go out from
// the job `send_staff_password_link` (server/jobs/send-staff-password-link.ts), queued here in
// the caller's transaction, so a change and its email commit together.
//
// Two rules hold whatever order requests arrive in: an admin cannot change or deactivate
// their own account (so nobody locks themselves out by a slip), and the last active admin
// stays one (the active admins are locked while a change is decided, so two admins
// deactivating each other at once cannot both succeed).
import { randomUUID } from 'node:crypto';
import { STAFF_REFUSALS } from '../../shared/outcomes.ts';
import type { StaffEmailKind, StaffRole } from '../../shared/vocabulary.ts';
import { createStaffAwaitingPassword, type Refusal } from '../auth/staff-accounts.ts';
import { addJob } from '../jobs/add-job.ts';
import type { StaffPasswordLinkJob } from '../jobs/send-staff-password-link.ts';
import { removeAllSubscriptions } from './push-subscriptions.ts';
import type { Queryable } from './queryable.ts';

export interface StaffMember {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly active: boolean;
}

/** Why a change is refused, with the tRPC code it travels under. */
export type Refused = Refusal & { code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' };
export const isRefused = (outcome: { status: string }): outcome is Refused => outcome.status === 'refused';
const refuse = (code: Refused['code'], reason: string): Refused => ({ status: 'refused', code, reason });

/** A new staff member (or one invited before who never set a password), and their invitation queued. */
export async function inviteStaff(
  db: Queryable,
  invite: { email: string; name: string; role: StaffRole },
): Promise<{ status: 'invited' | 'invited_again'; member: StaffMember } | Refused> {
  const made = await createStaffAwaitingPassword(db, invite);
  if (made.status === 'refused') return refuse('CONFLICT', made.reason);
  const member = await findStaff(db, made.userId);
  if (!member) throw new Error(`The staff member ${made.userId} just made is missing.`);
  await queuePasswordLink(db, member.id, 'staff_invite');
  return { status: made.status === 'created' ? 'invited' : 'invited_again', member };
}

/** A new role; the person is signed out everywhere, so their next sign-in opens the right app. */
export async function changeStaffRole(
  db: Queryable,
  change: { id: string; role: StaffRole; by: string },
): Promise<{ status: 'changed'; member: StaffMember } | Refused> {
  if (change.id === change.by) return refuse('FORBIDDEN', STAFF_REFUSALS.ownRole);
  const member = await lockedForChange(db, change.id);
  if (!member) return refuse('NOT_FOUND', STAFF_REFUSALS.notFound);
  if (member.role === change.role) return { status: 'changed', member };
  if (member.role === 'admin' && member.active && (await otherActiveAdmins(db, member.id)) === 0)
    return refuse('CONFLICT', STAFF_REFUSALS.lastAdmin(member.name));
  const changed = await update(db, member.id, 'role = $2', [change.role]);
  await endSessions(db, member.id);
  return { status: 'changed', member: changed };
}

/**
 * Deactivated: cannot sign in, every session ends now (the server checks the session on every
 * request and shape poll), and their devices get no more pushes. Their bookings stay assigned: the office reassigns them.
 * Reactivated: they sign in again with the password they had.
 */
export async function setStaffActive(
  db: Queryable,
  change: { id: string; active: boolean; by: string },
): Promise<{ status: 'changed'; member: StaffMember; upcomingBookings: number } | Refused> {
  if (change.id === change.by && !change.active) return refuse('FORBIDDEN', STAFF_REFUSALS.ownAccount);
  const member = await lockedForChange(db, change.id);
  if (!member) return refuse('NOT_FOUND', STAFF_REFUSALS.notFound);
  if (
    !change.active &&
    member.role === 'admin' &&
    member.active &&
    (await otherActiveAdmins(db, member.id)) === 0
  )
    return refuse('CONFLICT', STAFF_REFUSALS.lastAdmin(member.name));
  const changed =
    member.active === change.active ? member : await update(db, member.id, 'active = $2', [change.active]);
  if (!change.active) {
    await endSessions(db, member.id);
    await removeAllSubscriptions(db, member.id);
  }
  return { status: 'changed', member: changed, upcomingBookings: await upcomingBookings(db, member.id) };
}

/** A password reset link queued for an active staff member; it replaces any link sent before. */
export async function sendPasswordResetLink(
  db: Queryable,
  id: string,
): Promise<{ status: 'queued'; member: StaffMember } | Refused> {
  const member = await findStaff(db, id);
  if (!member) return refuse('NOT_FOUND', STAFF_REFUSALS.notFound);
  if (!member.active) return refuse('CONFLICT', STAFF_REFUSALS.inactive(member.name));
  await queuePasswordLink(db, member.id, 'password_reset');
  return { status: 'queued', member };
}

/** Bookings not yet started, not cancelled or completed, still assigned to this person. */
export async function upcomingBookings(db: Queryable, userId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM bookings
      WHERE fieldworker_id = $1 AND starts_at > now() AND status NOT IN ('cancelled', 'completed')`,
    [userId],
  );
  return rows[0]?.n ?? 0;
}

const MEMBER = 'id, email, name, role, active';

async function findStaff(db: Queryable, id: string): Promise<StaffMember | null> {
  const { rows } = await db.query<StaffMember>(`SELECT ${MEMBER} FROM users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * The member, with every active admin locked (in id order, so concurrent changes queue instead
 * of deadlocking) until the transaction ends: the last-admin count cannot go stale meanwhile.
 */
async function lockedForChange(db: Queryable, id: string): Promise<StaffMember | null> {
  await db.query(`SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`);
  const { rows } = await db.query<StaffMember>(`SELECT ${MEMBER} FROM users WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

async function otherActiveAdmins(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active AND id <> $1`,
    [id],
  );
  return rows[0]?.n ?? 0;
}

async function update(db: Queryable, id: string, set: string, values: unknown[]): Promise<StaffMember> {
  const { rows } = await db.query<StaffMember>(`UPDATE users SET ${set} WHERE id = $1 RETURNING ${MEMBER}`, [
    id,
    ...values,
  ]);
  const member = rows[0];
  if (!member) throw new Error(`The staff member ${id} is missing.`);
  return member;
}

async function endSessions(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

/** The link is made by the job, when it sends, so the link in the email is always the newest. */
async function queuePasswordLink(db: Queryable, userId: string, kind: StaffEmailKind): Promise<void> {
  const job: StaffPasswordLinkJob = { userId, kind, requestId: randomUUID() };
  await addJob(db, 'send_staff_password_link', job);
}
