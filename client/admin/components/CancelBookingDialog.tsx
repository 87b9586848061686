// Choosing Canceled: a dialog with a comment and an optional fee from the active fees, each
// quoted for this booking's price with its tax and total. The fee is frozen as shown and goes
// with the write, so a fee edited or deleted later does not change what this cancellation cost.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { describeCharge, feeRuleOf, formatMoney, quoteFee } from '../../../shared/fees.ts';
import { CancelComment } from '../../../shared/schemas.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';
import { ModalDialog } from '../../lib/ui/ModalDialog.tsx';
import { cancelBookingLocally, type FrozenFee } from '../../lib/writes/booking-writes.ts';
import { useActiveFees } from '../queries.ts';

export function CancelBookingDialog(props: {
  booking: { id: string; price_minor: number; currency: string };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCancelled: () => void;
  returnFocusTo?: () => HTMLElement | undefined;
}) {
  const replica = useReplica();
  const fees = useActiveFees();
  const action = createAction();
  const [feeId, setFeeId] = createSignal('');
  let comment: HTMLTextAreaElement | undefined;

  /** Every active fee, quoted for this booking; a fee whose stored numbers are broken is left out. */
  const quotes = createMemo(() =>
    (fees.rows() ?? []).flatMap((fee) => {
      try {
        return [{ fee, quote: quoteFee(feeRuleOf(fee), props.booking.price_minor, props.booking.currency) }];
      } catch {
        return [];
      }
    }),
  );
  const picked = () => quotes().find((q) => q.fee.id === feeId()) ?? null;

  const openChange = (open: boolean) => {
    if (open) setFeeId('');
    action.setError('');
    props.onOpenChange(open);
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = CancelComment.safeParse(comment?.value ?? '');
    if (!parsed.success) {
      action.setError(parsed.error.issues[0]?.message ?? 'Check the comment.');
      comment?.focus();
      return;
    }
    const choice = picked();
    const fee: FrozenFee | null = choice
      ? {
          feeId: choice.fee.id,
          name: choice.fee.name,
          feeMinor: choice.quote.feeMinor,
          taxMinor: choice.quote.taxMinor,
        }
      : null;
    void action.run(async () => {
      await cancelBookingLocally(replica, props.booking.id, { comment: parsed.data, fee });
      props.onCancelled();
    });
  };

  return (
    <ModalDialog
      title="Cancel booking"
      open={props.open}
      onOpenChange={openChange}
      returnFocusTo={props.returnFocusTo}
      initialFocus={() => comment}
    >
      <form class="stack" onSubmit={submit} noValidate>
        <label>
          Comment (optional)
          <textarea
            ref={comment}
            name="comment"
            rows="4"
            maxLength={1000}
            aria-describedby="cancel-comment-hint"
            aria-invalid={action.error() ? 'true' : undefined}
          />
        </label>
        <p id="cancel-comment-hint" class="muted small">
          Why the booking is cancelled. The customer sees it in their cancellation email.
        </p>
        <label>
          Cancellation fee
          <select
            value={feeId()}
            onChange={(e) => setFeeId(e.currentTarget.value)}
            aria-describedby="cancel-fee-total"
          >
            <option value="">No fee</option>
            <For each={quotes()}>
              {(q) => (
                <option value={q.fee.id} selected={q.fee.id === feeId()}>
                  {q.fee.name} ·{' '}
                  {describeCharge(q.quote.feeMinor, q.quote.taxMinor, q.quote.currency) || 'nothing'}
                </option>
              )}
            </For>
          </select>
        </label>
        <div id="cancel-fee-total" class="fee-box" role="status">
          <Show when={picked()} fallback={<p>No fee: cancelling costs the customer nothing.</p>}>
            {(p) => (
              <dl class="details">
                <dt>Fee</dt>
                <dd>{formatMoney(p().quote.feeMinor, p().quote.currency)}</dd>
                <dt>Tax</dt>
                <dd>{formatMoney(p().quote.taxMinor, p().quote.currency)}</dd>
                <dt>Total</dt>
                <dd>
                  <strong>{formatMoney(p().quote.totalMinor, p().quote.currency)}</strong>
                </dd>
              </dl>
            )}
          </Show>
        </div>
        <FormError message={action.error()} />
        <div class="actions">
          <button type="button" class="secondary" onClick={() => openChange(false)}>
            Keep booking
          </button>
          <BusyButton busy={action.busy()} label="Cancel booking" busyLabel="Cancelling…" />
        </div>
      </form>
    </ModalDialog>
  );
}
