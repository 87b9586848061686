// The tRPC instance and the only procedure builders routers may use: one per role, so every
// procedure states who may call it. Errors leave without stack traces, with readable messages.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Role } from '../../shared/vocabulary.ts';
import { sqlErrorAnswer } from '../db/sql-errors.ts';
import type { Context } from './context.ts';

const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again in a moment.';

const t = initTRPC.context<Context>().create({
  // Never send a stack trace, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message: userMessage(error), data };
  },
});

/** The sentence a person sees for an error: readable input errors, nothing internal. */
export function userMessage(error: TRPCError): string {
  const cause = error.cause;
  if (cause instanceof ZodError) return describeZodError(cause);
  if (error.code === 'PARSE_ERROR' || cause instanceof SyntaxError) {
    return 'The request could not be read: it is not valid JSON.';
  }
  if (error.code === 'INTERNAL_SERVER_ERROR') return INTERNAL_MESSAGE;
  return error.message;
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * An error Postgres raised that a person can cause (a trigger's BK001, an email already in
 * use) becomes its sentence from shared/outcomes.ts instead of an internal error.
 */
const sqlErrorsAsSentences = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const answer = sqlErrorAnswer(result.error.cause);
    if (answer) throw new TRPCError({ ...answer, cause: result.error.cause });
  }
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(sqlErrorsAsSentences);

const signedIn = t.middleware(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in first.' });
  return next({ ctx: { session: ctx.session } });
});

function requireRole<R extends Role>(...roles: R[]) {
  return signedIn.unstable_pipe(({ ctx, next }) => {
    const session = ctx.session;
    if (!(roles as string[]).includes(session.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Your account cannot do this.' });
    }
    // Narrowed to the roles allowed: a staff session's role is a union, so Extract<> would give never.
    return next({ ctx: { session: session as typeof session & { role: R } } });
  });
}

/** A customer signed in with an emailed link. */
export const customerProcedure = publicProcedure.use(requireRole('customer'));
/** Office staff. */
export const adminProcedure = publicProcedure.use(requireRole('admin'));
/** A fieldworker. */
export const fieldworkerProcedure = publicProcedure.use(requireRole('fieldworker'));
/** Any staff member: admin or fieldworker. */
export const staffProcedure = publicProcedure.use(requireRole('admin', 'fieldworker'));
/** Anyone signed in: staff or customer. */
export const signedInProcedure = publicProcedure.use(signedIn);
