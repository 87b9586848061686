// Cancelling a booking, for every caller (customer in the portal or from an email link,
// admin, fieldworker; online or replayed from an offline queue). One transaction: claim the
// write id, lock the booking, decide with the pure rules (server/domain/reconcile.ts for the
// state, shared/cancel-permission.ts for who may), write the cancellation. The booking
// trigger then writes the audit event and queues the email; nothing is sent from here.
import { TRPCError } from '@trpc/server';
import {
  type BookingForCancel,
  CANCEL_DENIED_MESSAGES,
  type CancelPolicy,
  customerFeeApplies,
  decideCancel,
} from '../../shared/cancel-permission.ts';
import { describeCharge, type FeeRule, quoteFee } from '../../shared/fees.ts';
import type { Session } from '../auth/sessions.ts';
import { type Channel, setActor } from '../db/actor.ts';
import { type Pool, type PoolClient, withTransaction } from '../db/pool.ts';
import { claimWrite, hashPayload, recordResponse } from '../db/write-claims.ts';
import {
  type CancelledBy,
  type FrozenFee,
  RECONCILE_REJECTION_MESSAGES,
  reconcileOfflineCancel,
} from '../domain/reconcile.ts';

/** Someone else's booking and one that does not exist get the same answer: nothing leaks. */
export const NO_SUCH_BOOKING = 'There is no booking with that id for you.';

export interface CancelRequest {
  readonly bookingId: string;
  readonly writeId: string;
  readonly comment: string;
  readonly channel: Channel;
  /** When the person pressed Cancel on their device (offline: maybe long ago). */
  readonly clientAt?: Date | undefined;
  /** What the person saw: a reschedule or reassignment since is reported, not refused. */
  readonly expectedStartsAt?: Date | undefined;
  readonly expectedFieldworkerId?: string | null | undefined;
  /** Customers: the fee total the dialog showed (null: no fee); a different fee now is refused. */
  readonly expectedFeeTotalMinor?: number | null | undefined;
  /** Staff only: the fee chosen in the dialog, with the amounts shown then (kept as they were). */
  readonly fee?: StaffFeeChoice | null | undefined;
}

export interface StaffFeeChoice {
  readonly feeId: string | null;
  readonly name: string;
  readonly feeMinor: number;
  readonly taxMinor: number;
}

export type CancelResponse =
  | { outcome: 'cancelled'; txid: string; changedMeanwhile: string[] }
  | { outcome: 'already-cancelled'; txid: string; cancelledBy: CancelledBy | null };

type StoredResponse = CancelResponse | { error: { code: TRPCError['code']; message: string } };

/** Who is cancelling: a signed-in session, or a customer holding an emailed link. */
export type Canceller = Session | { role: 'customer'; customerId: string };

export interface CancelContext {
  status: 'requested' | 'scheduled' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled';
  customer_id: string;
  fieldworker_id: string | null;
  starts_at: Date;
  price_minor: number;
  currency: string;
  cancelled_by_role: CancelledBy['role'] | null;
  cancelled_by_name: string | null;
  customer_cancel_enabled: boolean;
  customer_cancel_cutoff_hours: number;
  fieldworker_cancel_enabled: boolean;
  cancel_comment_required: boolean;
  customer_fee_window_hours: number;
  fee_id: string | null;
  fee_name: string | null;
  fee_kind: 'flat' | 'percent' | null;
  fee_amount_minor: number | null;
  fee_percent_bp: number | null;
  fee_tax_rate_bp: number | null;
}

export async function cancelBooking(
  pool: Pool,
  who: Canceller,
  request: CancelRequest,
): Promise<CancelResponse> {
  const stored = await withTransaction(pool, async (db) => {
    const payloadHash = payloadHashOf(who, request);
    const prior = await claimWrite<StoredResponse>(db, request.writeId, payloadHash);
    if (prior && prior.payloadHash === payloadHash) return prior.response; // a repeat: the first answer

    const booking = await lockBooking(db, who, request.bookingId);
    const now = new Date();
    const outcome = reconcileOfflineCancel({
      now,
      write: {
        writeId: request.writeId,
        payloadHash,
        decidedAt: request.clientAt ?? now,
        expectedStartsAt: request.expectedStartsAt ?? booking?.starts_at ?? now,
        expectedFieldworkerId:
          request.expectedFieldworkerId === undefined
            ? (booking?.fieldworker_id ?? null)
            : request.expectedFieldworkerId,
        fee: request.fee && booking ? frozen(request.fee, booking.currency) : null,
      },
      booking: booking && {
        status: booking.status,
        fieldworkerId: booking.fieldworker_id,
        startsAt: booking.starts_at,
        cancelledBy: booking.cancelled_by_role
          ? { role: booking.cancelled_by_role, name: booking.cancelled_by_name ?? '' }
          : null,
      },
      priorClaim: prior,
    });

    const txid = async () =>
      (await db.query<{ txid: string }>('SELECT pg_current_xact_id()::xid::text AS txid')).rows[0]?.txid ??
      '';
    let response: StoredResponse;
    switch (outcome.kind) {
      case 'replay': // handled above; kept for exhaustiveness
      case 'already-cancelled':
        response = {
          outcome: 'already-cancelled',
          txid: await txid(),
          cancelledBy: outcome.kind === 'already-cancelled' ? outcome.cancelledBy : null,
        };
        break;
      case 'rejected':
        response =
          outcome.reason === 'deleted'
            ? { error: { code: 'NOT_FOUND', message: NO_SUCH_BOOKING } }
            : { error: { code: 'CONFLICT', message: RECONCILE_REJECTION_MESSAGES[outcome.reason] } };
        if (outcome.reason === 'write_id_reused') return response; // the claim belongs to the first payload
        break;
      case 'apply': {
        const refusal = booking ? permissionRefusal(who, booking, request, now) : null;
        if (refusal || !booking) {
          response = {
            error: refusal ?? { code: 'NOT_FOUND', message: NO_SUCH_BOOKING },
          };
          break;
        }
        const fee = who.role === 'customer' ? customerFee(booking, now) : (outcome.fee ?? null);
        const feeRefusal = who.role === 'customer' ? null : staffFeeRefusal(who.role, fee, booking);
        if (feeRefusal) {
          response = { error: { code: 'BAD_REQUEST', message: feeRefusal } };
          break;
        }
        if (who.role === 'customer' && request.expectedFeeTotalMinor !== undefined) {
          const total = fee?.quote.totalMinor ?? null;
          if (total !== request.expectedFeeTotalMinor) {
            // The customer agrees to the fee they saw, never to another one.
            response = {
              error: {
                code: 'CONFLICT',
                message: fee
                  ? `The cancellation fee is now ${describeCharge(fee.quote.feeMinor, fee.quote.taxMinor, fee.quote.currency)}. Please check it and press Cancel again.`
                  : 'The cancellation fee no longer applies. Please check and press Cancel again.',
              },
            };
            break;
          }
        }
        await setActor(db, {
          role: who.role,
          userId: 'userId' in who ? who.userId : null,
          customerId: 'customerId' in who ? who.customerId : null,
          channel: request.channel,
          clientAt: request.clientAt ?? null,
          writeId: request.writeId,
        });
        await db.query(
          `UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancelled_by_role = $2,
             cancelled_by_user_id = $3, cancelled_by_customer_id = $4, cancel_channel = $5, cancel_comment = $6,
             cancel_fee_id = (SELECT id FROM fees WHERE id = $7), cancel_fee_name = $8, cancel_fee_minor = $9, cancel_fee_tax_minor = $10,
             last_write_id = $11
           WHERE id = $1`,
          [
            request.bookingId,
            who.role,
            'userId' in who ? who.userId : null,
            'customerId' in who ? who.customerId : null,
            request.channel,
            request.comment || null,
            fee?.feeId ?? null,
            fee?.name ?? null,
            fee?.quote.feeMinor ?? null,
            fee?.quote.taxMinor ?? null,
            request.writeId,
          ],
        );
        response = { outcome: 'cancelled', txid: await txid(), changedMeanwhile: outcome.changedMeanwhile };
        break;
      }
    }
    await recordResponse(db, request.writeId, response);
    return response;
  });
  if ('error' in stored) throw new TRPCError(stored.error);
  return stored;
}

/** The booking, locked for this transaction, or null when it does not exist for this caller. */
async function lockBooking(db: PoolClient, who: Canceller, id: string): Promise<CancelContext | null> {
  const booking = await loadCancelContext(db, id, { lock: true });
  // Someone else's booking looks exactly like one that does not exist.
  if (!booking || (who.role === 'customer' && booking.customer_id !== who.customerId)) return null;
  if (who.role === 'fieldworker' && booking.fieldworker_id !== who.userId) return null;
  return booking;
}

/** What deciding a cancellation needs: the booking, the business's policy, the customer fee. */
export async function loadCancelContext(
  db: Pick<PoolClient, 'query'>,
  id: string,
  options: { lock: boolean },
): Promise<CancelContext | null> {
  const { rows } = await db.query<CancelContext>(
    `SELECT b.status, b.customer_id, b.fieldworker_id, b.starts_at, b.price_minor, b.currency, b.cancelled_by_role,
            coalesce(cu.name, cc.name) AS cancelled_by_name,
            s.customer_cancel_enabled, s.customer_cancel_cutoff_hours, s.fieldworker_cancel_enabled,
            s.cancel_comment_required, s.customer_fee_window_hours,
            f.id AS fee_id, f.name AS fee_name, f.kind AS fee_kind, f.amount_minor AS fee_amount_minor,
            f.percent_bp AS fee_percent_bp, f.tax_rate_bp AS fee_tax_rate_bp
       FROM bookings b
       CROSS JOIN business_settings s
       LEFT JOIN fees f ON f.id = s.customer_cancel_fee_id AND f.active
       LEFT JOIN users cu ON cu.id = b.cancelled_by_user_id
       LEFT JOIN customers cc ON cc.id = b.cancelled_by_customer_id
      WHERE b.id = $1
      ${options.lock ? 'FOR UPDATE OF b' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export function cancelPolicy(b: CancelContext): CancelPolicy {
  return {
    customerCancelEnabled: b.customer_cancel_enabled,
    customerCancelCutoffHours: b.customer_cancel_cutoff_hours,
    fieldworkerCancelEnabled: b.fieldworker_cancel_enabled,
  };
}

export const forDecision = (b: CancelContext): BookingForCancel => ({
  status: b.status,
  customerId: b.customer_id,
  fieldworkerId: b.fieldworker_id,
  startsAt: b.starts_at,
});

function permissionRefusal(who: Canceller, b: CancelContext, request: CancelRequest, now: Date) {
  const decision = decideCancel(
    who.role === 'customer'
      ? { role: 'customer', customerId: who.customerId }
      : { role: who.role, userId: (who as { userId: string }).userId },
    forDecision(b),
    cancelPolicy(b),
    now,
  );
  if (!decision.allowed)
    return { code: 'FORBIDDEN' as const, message: CANCEL_DENIED_MESSAGES[decision.reason] };
  const commentRequired =
    who.role === 'fieldworker' || (who.role === 'customer' && b.cancel_comment_required);
  if (commentRequired && !request.comment.trim()) {
    return { code: 'BAD_REQUEST' as const, message: 'Please tell us why you are cancelling.' };
  }
  return null;
}

/**
 * Only the office charges fees, and never more than the job's price (tax aside): a
 * fieldworker's app sends none, and an amount beyond the price is a typo or worse.
 * A fee since deleted keeps its frozen name and amounts (its id is left out).
 */
function staffFeeRefusal(
  role: 'admin' | 'fieldworker',
  fee: FrozenFee | null,
  b: CancelContext,
): string | null {
  if (!fee) return null;
  if (role !== 'admin') return 'Only the office can charge a cancellation fee.';
  if (fee.quote.feeMinor > b.price_minor)
    return "A cancellation fee cannot be more than the booking's price.";
  return null;
}

/** The business's customer cancellation fee, when one is set and the cancel falls in its window. */
export function customerFee(b: CancelContext, now: Date): FrozenFee | null {
  if (!b.fee_id || !b.fee_kind || !customerFeeApplies(b.customer_fee_window_hours, b.starts_at, now))
    return null;
  const rule: FeeRule =
    b.fee_kind === 'flat'
      ? { kind: 'flat', amountMinor: b.fee_amount_minor ?? 0, taxRateBp: b.fee_tax_rate_bp ?? 0 }
      : { kind: 'percent', percentBp: b.fee_percent_bp ?? 0, taxRateBp: b.fee_tax_rate_bp ?? 0 };
  return { feeId: b.fee_id, name: b.fee_name ?? '', quote: quoteFee(rule, b.price_minor, b.currency) };
}

function frozen(choice: StaffFeeChoice, currency: string): FrozenFee {
  const quote = {
    feeMinor: choice.feeMinor,
    taxMinor: choice.taxMinor,
    totalMinor: choice.feeMinor + choice.taxMinor,
    currency,
  };
  return { feeId: choice.feeId, name: choice.name, quote };
}

function payloadHashOf(who: Canceller, r: CancelRequest): string {
  const subject =
    who.role === 'customer'
      ? `customer:${who.customerId}`
      : `${who.role}:${(who as { userId: string }).userId}`;
  return hashPayload([
    subject,
    r.bookingId,
    r.comment,
    r.channel,
    r.fee ?? null,
    r.expectedFeeTotalMinor ?? null,
    r.clientAt?.toISOString() ?? null,
    r.expectedStartsAt?.toISOString() ?? null,
    r.expectedFieldworkerId ?? null,
  ]);
}
