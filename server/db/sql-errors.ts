// Errors Postgres raises that a person can cause, turned into the sentences of
// shared/outcomes.ts (SQL_ERRORS): the product's own SQLSTATE codes (BK001…, raised by
// triggers with a JSON DETAIL) and the constraints a person can trip.
import { type ErrorCode, SQL_ERRORS } from '../../shared/outcomes.ts';

interface PgError {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly detail?: unknown;
}

/** The readable answer for a database error, or null when it is not one a person can cause. */
export function sqlErrorAnswer(error: unknown): { code: ErrorCode; message: string } | null {
  if (!error || typeof error !== 'object') return null;
  const { code, constraint, detail } = error as PgError;
  if (typeof code !== 'string') return null;
  const text = (typeof constraint === 'string' && SQL_ERRORS[`${code}:${constraint}`]) || SQL_ERRORS[code];
  if (!text) return null;
  const message = typeof text.message === 'string' ? text.message : text.message(parseDetail(detail));
  return { code: text.code, message };
}

function parseDetail(detail: unknown): Record<string, string> {
  if (typeof detail !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}
