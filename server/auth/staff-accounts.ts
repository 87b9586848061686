// Staff accounts: finding one to sign in, making one (outside the apps with
// `npm run create-admin`, server/cli/create-admin.ts, or invited from the admin app's Staff
// screen, server/db/staff.ts), and the one-time set-password links (server/http/set-password.ts)
// that the CLI prints and the invitation and reset emails carry. The password rules live here,
// once, for all of them.
import { randomBytes } from 'node:crypto';
import { PASSWORD_LINK_HOURS } from '../../shared/limits.ts';
import { EmailAddress, StaffSignIn } from '../../shared/schemas.ts';
import type { StaffRole } from '../../shared/vocabulary.ts';
import { type Pool, withTransaction } from '../db/pool.ts';
import type { Queryable } from '../db/queryable.ts';
import { hashPassword } from './passwords.ts';
import { hashToken, newToken } from './sessions.ts';

export const MIN_PASSWORD_LENGTH = 10;
/** The page a set-password link opens (server/http/set-password.ts), with `?token=…`. */
export const SET_PASSWORD_PATH = '/set-password';
export const PASSWORDS_DIFFER = 'The two passwords are not the same. Type the same password twice.';

/** Naive on purpose: the passwords people try first that pass the length rule. */
const COMMON_PASSWORDS = new Set([
  '0123456789',
  '1234567890',
  '12345678910',
  '123456789a',
  '1q2w3e4r5t',
  'abcdefghij',
  'administrator',
  'changeme123',
  'demo-password',
  'iloveyou123',
  'letmein123',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'qwerty1234',
  'qwertyuiop',
  'welcome123',
]);

export interface NewStaffAccount {
  readonly email: string;
  readonly name: string;
}

export type Refusal = { status: 'refused'; reason: string };

/** The email and name as they will be stored, or why they will not do. */
export function checkAccount(
  input: NewStaffAccount,
): { status: 'ok'; email: string; name: string } | Refusal {
  const email = EmailAddress.safeParse(input.email);
  if (!email.success) return refused(email.error.issues[0]?.message ?? 'Enter a valid email address.');
  const name = input.name.trim();
  if (!name) return refused('Enter the name of the person, like --name "Olivia Office".');
  if (name.length > 200) return refused('Keep the name under 200 characters.');
  return { status: 'ok', email: email.data, name };
}

/** Why this password will not do, as a sentence; null when it will. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  // The sign-in form's own limit: a longer password could never be typed in.
  const signIn = StaffSignIn.shape.password.safeParse(password);
  if (!signIn.success) return signIn.error.issues[0]?.message ?? 'That password is too long.';
  if (COMMON_PASSWORDS.has(password.toLowerCase()) || new Set(password).size === 1)
    return 'That password is one of the first ones anyone would guess. Choose another.';
  if (password.trim().toLowerCase() === email.trim().toLowerCase())
    return 'The password must not be the email address. Choose another.';
  return null;
}

export type CreatedAccount = { status: 'created'; userId: string; email: string; name: string };

/** A new admin with this password; refused for a weak password or an email already in use. */
export async function createAdmin(
  pool: Pool,
  input: NewStaffAccount & { readonly password: string },
): Promise<CreatedAccount | Refusal> {
  const account = checkAccount(input);
  if (account.status === 'refused') return account;
  const problem = passwordProblem(input.password, account.email);
  if (problem) return refused(problem);
  const userId = await insertStaff(pool, { ...account, role: 'admin' }, await hashPassword(input.password));
  return userId
    ? { status: 'created', userId, email: account.email, name: account.name }
    : taken(account.email);
}

export type LinkIssued = {
  status: 'created' | 'renewed';
  userId: string;
  email: string;
  name: string;
  token: string;
  expiresAt: Date;
};

/**
 * A new admin who sets their own password through a one-time link. For an admin created this
 * way who never used their link, a fresh link replaces the old ones ('renewed').
 */
export async function createAdminWithLink(
  pool: Pool,
  input: NewStaffAccount,
  now = new Date(),
): Promise<LinkIssued | Refusal> {
  const account = checkAccount(input);
  if (account.status === 'refused') return account;
  return withTransaction(pool, async (db) => {
    const made = await createStaffAwaitingPassword(db, { ...account, role: 'admin' });
    if (made.status === 'refused') return made;
    const { token, expiresAt } = await issuePasswordLink(db, made.userId, now);
    return {
      status: made.status,
      userId: made.userId,
      email: account.email,
      name: account.name,
      token,
      expiresAt,
    };
  });
}

/**
 * A staff account nobody can sign in to until its set-password link is used; for an email
 * whose account of this role never set a password, that account again ('renewed'), so a
 * lost invitation can be sent anew.
 */
export async function createStaffAwaitingPassword(
  db: Queryable,
  account: { email: string; name: string; role: StaffRole },
): Promise<{ status: 'created' | 'renewed'; userId: string } | Refusal> {
  // Nobody knows this password: the account opens only once the link has set a real one.
  const unusable = await hashPassword(randomBytes(32).toString('base64url'));
  const created = await insertStaff(db, account, unusable);
  if (created) return { status: 'created', userId: created };
  const waiting = await awaitingFirstPassword(db, account.email, account.role);
  return waiting ? { status: 'renewed', userId: waiting } : taken(account.email);
}

/**
 * A fresh one-time link to set this account's password, replacing any it had not used: only
 * the newest link sent works.
 */
export async function issuePasswordLink(
  db: Queryable,
  userId: string,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  await db.query('DELETE FROM staff_password_tokens WHERE user_id = $1 AND used_at IS NULL', [userId]);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_HOURS * 3_600_000);
  await db.query('INSERT INTO staff_password_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    hashToken(token),
    userId,
    expiresAt,
  ]);
  return { token, expiresAt };
}

export type PasswordLink =
  | { status: 'valid'; userId: string; email: string; name: string; role: StaffRole }
  | { status: 'invalid' }; // unknown, forged, expired or used: one answer for all

/** Reads a set-password link without using it up (opening the page changes nothing). */
export async function peekPasswordLink(db: Queryable, token: string): Promise<PasswordLink> {
  const user = await linkHolder(db, token, { lock: false });
  return user ? { status: 'valid', ...user } : invalid;
}

/** The active account a set-password link is for while it works; `lock` holds the link for this transaction. */
async function linkHolder(
  db: Queryable,
  token: string,
  options: { lock: boolean },
): Promise<{ userId: string; email: string; name: string; role: StaffRole } | null> {
  const { rows } = await db.query<{ userId: string; email: string; name: string; role: StaffRole }>(
    `SELECT u.id AS "userId", u.email, u.name, u.role FROM staff_password_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > now() AND u.active
      ${options.lock ? 'FOR UPDATE OF t' : ''}`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}

/**
 * Sets the password a link is for and uses the link up; a refused password leaves the link
 * working. Signs the account out everywhere, as any password change should.
 */
export async function setPasswordFromLink(
  pool: Pool,
  input: { readonly token: string; readonly password: string; readonly repeat: string },
): Promise<{ status: 'set'; email: string; role: StaffRole } | Refusal | { status: 'invalid' }> {
  return withTransaction(pool, async (db) => {
    // Locked, so two submissions of one link cannot both set a password.
    const user = await linkHolder(db, input.token, { lock: true });
    if (!user) return invalid;
    const problem = passwordProblem(input.password, user.email);
    if (problem) return refused(problem);
    if (input.password !== input.repeat) return refused(PASSWORDS_DIFFER);
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
      user.userId,
      await hashPassword(input.password),
    ]);
    await db.query(
      'UPDATE staff_password_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
      [user.userId],
    );
    await db.query('DELETE FROM sessions WHERE user_id = $1', [user.userId]);
    return { status: 'set', email: user.email, role: user.role };
  });
}

/** Admins who can sign in (or will, once they use their link). */
export async function activeAdminCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active`,
  );
  return rows[0]?.n ?? 0;
}

async function insertStaff(
  db: Queryable,
  account: { email: string; name: string; role: StaffRole },
  passwordHash: string,
): Promise<string | null> {
  // The unique index on lower(email) decides: of two concurrent creations, one wins.
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING id`,
    [account.email, account.name, account.role, passwordHash],
  );
  return rows[0]?.id ?? null;
}

/** The active account of `role` with this email that was given a link and never set a password, if any. */
async function awaitingFirstPassword(db: Queryable, email: string, role: StaffRole): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT u.id FROM users u
      WHERE lower(u.email) = lower($1) AND u.role = $2 AND u.active
        AND EXISTS (SELECT 1 FROM staff_password_tokens t WHERE t.user_id = u.id)
        AND NOT EXISTS (SELECT 1 FROM staff_password_tokens t WHERE t.user_id = u.id AND t.used_at IS NOT NULL)`,
    [email, role],
  );
  return rows[0]?.id ?? null;
}

const invalid = { status: 'invalid' } as const;
const refused = (reason: string): Refusal => ({ status: 'refused', reason });
const taken = (email: string) => refused(`There is already an account for ${email}.`);

/** An active staff account by email (any case), with its hash: what a password sign-in checks. */
export async function findActiveStaff(
  db: Queryable,
  email: string,
): Promise<{ id: string; role: StaffRole; password_hash: string } | null> {
  const { rows } = await db.query<{ id: string; role: StaffRole; password_hash: string }>(
    'SELECT id, role, password_hash FROM users WHERE lower(email) = lower($1) AND active',
    [email],
  );
  return rows[0] ?? null;
}
