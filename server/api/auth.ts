// Sign-in and sign-out: staff with email and password, customers with an emailed link
// (DESIGN §5). Answers do not reveal which emails have accounts.
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { EmailAddress, LinkToken, StaffSignIn } from '../../shared/schemas.ts';
import { peekLinkToken, redeemSignInToken } from '../auth/link-tokens.ts';
import { DECOY_HASH, verifyPassword } from '../auth/passwords.ts';
import type { RateDecision } from '../auth/rate-limit.ts';
import { createSession, deleteSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { findActiveStaff } from '../auth/staff-accounts.ts';
import { addJob } from '../jobs/add-job.ts';
import { publicProcedure, router } from './trpc.ts';

const WRONG_CREDENTIALS = 'That email and password do not match an account.';

function enforce<D extends RateDecision>(decision: D): asserts decision is Extract<D, { ok: true }> {
  if (decision.ok) return;
  const minutes = Math.ceil(decision.retryAfterSeconds / 60);
  throw new TRPCError({
    code: 'TOO_MANY_REQUESTS',
    message: `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
  });
}

export const authRouter = router({
  /** Who is signed in on this browser, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.session),

  staffSignIn: publicProcedure.input(StaffSignIn).mutation(async ({ ctx, input }) => {
    const attempt = await ctx.rateLimits.signIn(ctx.ip, input.email);
    enforce(attempt);
    const user = await findActiveStaff(ctx.pool, input.email);
    // Hash even for an unknown email, so the answer takes the same time either way.
    const matches = await verifyPassword(input.password, user?.password_hash ?? DECOY_HASH);
    if (!user || !matches) {
      await attempt.failed();
      throw new TRPCError({ code: 'UNAUTHORIZED', message: WRONG_CREDENTIALS });
    }
    // The right password is never charged, even when it opens the other app.
    await attempt.succeeded();
    const wanted = input.app === 'admin' ? 'admin' : 'fieldworker';
    if (user.role !== wanted) {
      const other = user.role === 'admin' ? 'the admin app (/admin/)' : 'the fieldworker app (/field/)';
      throw new TRPCError({ code: 'FORBIDDEN', message: `This account signs in to ${other}.` });
    }
    const { token, expiresAt } = await createSession(ctx.pool, { role: user.role, userId: user.id });
    ctx.cookies.set(SESSION_COOKIE, token, expiresAt);
    return { role: user.role };
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    await deleteSession(ctx.pool, ctx.cookies.get(SESSION_COOKIE));
    ctx.cookies.clear(SESSION_COOKIE);
    return { signedOut: true };
  }),

  /** Emails a sign-in link if the address belongs to a customer; answers the same either way. */
  requestSignInLink: publicProcedure
    .input(z.object({ email: EmailAddress }))
    .mutation(async ({ ctx, input }) => {
      const limit = await ctx.rateLimits.signInLink(ctx.ip, input.email);
      enforce(limit);
      // Every email gets the same job, and the job finds out whether it belongs to a customer:
      // looking it up here would make a customer's answer measurably slower than a stranger's.
      // The job issues the token and sends the email (DESIGN §4: no email from a request handler).
      // An email asked for too often gets the same answer and no more links for a while.
      if (limit.ok && limit.send) {
        await addJob(ctx.pool, 'send_sign_in_link', { email: input.email, requestId: randomUUID() });
      }
      return { sent: true, message: 'If that email belongs to a customer, a sign-in link is on its way.' };
    }),

  /** Whether a sign-in link still works. Changes nothing: mail scanners open links too. */
  checkSignInLink: publicProcedure.input(z.object({ token: LinkToken })).query(async ({ ctx, input }) => {
    enforce(await ctx.rateLimits.linkToken(ctx.ip));
    const found = await peekLinkToken(ctx.pool, input.token, ['sign_in']);
    return { valid: found.status === 'valid' };
  }),

  /** The Continue button behind a sign-in link: uses the link up and signs the customer in. */
  redeemSignInLink: publicProcedure.input(z.object({ token: LinkToken })).mutation(async ({ ctx, input }) => {
    enforce(await ctx.rateLimits.linkToken(ctx.ip));
    const customerId = await redeemSignInToken(ctx.pool, input.token);
    if (!customerId) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message:
          'This sign-in link no longer works. It may have been used already or expired. Ask for a new one.',
      });
    }
    const { token, expiresAt } = await createSession(ctx.pool, { role: 'customer', customerId });
    ctx.cookies.set(SESSION_COOKIE, token, expiresAt);
    return { role: 'customer' as const };
  }),
});
