// The Cancel booking dialog: a comment (required when the business says so), the fee that
// will apply with its tax and total, and Cancel. One write id per opening, so a double
// submit (or a retry after a dropped answer) cancels once.
import { TRPCClientError } from '@trpc/client';
import { createSignal, Show } from 'solid-js';
import { describeCharge } from '../../../shared/fees.ts';
import { cancelRejection } from '../../../shared/outcomes.ts';
import { CancelComment } from '../../../shared/schemas.ts';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, FormError } from '../../lib/ui/form.tsx';
import { ModalDialog } from '../../lib/ui/ModalDialog.tsx';

export interface CancelTerms {
  commentRequired: boolean;
  fee: { name: string; feeMinor: number; taxMinor: number; currency: string } | null;
}

export function CancelDialog(props: {
  bookingId: string;
  token: string | undefined;
  terms: CancelTerms;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (result: { outcome: 'cancelled' | 'already-cancelled'; cancelledByYou?: boolean }) => void;
  /** Refused (the fee changed, the booking started…): the page reloads the terms. */
  onRefused: () => void;
  returnFocusTo?: () => HTMLElement | undefined;
}) {
  // A refusal from the server is the final answer for its write id, so a new attempt gets a
  // new one. With no answer at all (offline, dropped), the retry keeps the id: if the first
  // press did cancel, the retry is told so instead of cancelling again.
  const action = createAction((error) => {
    if (error instanceof TRPCClientError && error.data) setWriteId(crypto.randomUUID());
  });
  const [writeId, setWriteId] = createSignal(crypto.randomUUID());
  const openChange = (open: boolean) => {
    if (open) setWriteId(crypto.randomUUID());
    action.setError('');
    props.onOpenChange(open);
  };

  let commentField: HTMLTextAreaElement | undefined;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = CancelComment.safeParse(
      new FormData(event.currentTarget as HTMLFormElement).get('comment') ?? '',
    );
    // A mistake in the comment: say so and put the cursor where it can be mended.
    const invalid = (message: string) => {
      action.setError(message);
      commentField?.focus();
    };
    if (!parsed.success) return invalid(parsed.error.issues[0]?.message ?? 'Check the comment.');
    if (props.terms.commentRequired && !parsed.data)
      return invalid(cancelRejection('comment_required').message);
    void action.run(async () => {
      const result = await api.portal.cancel.mutate({
        id: props.bookingId,
        token: props.token,
        writeId: writeId(),
        comment: parsed.data,
        expectedFeeTotalMinor: props.terms.fee ? props.terms.fee.feeMinor + props.terms.fee.taxMinor : null,
      });
      props.onDone(result);
    }, props.onRefused);
  };

  return (
    <ModalDialog
      title="Cancel booking"
      open={props.open}
      onOpenChange={openChange}
      returnFocusTo={props.returnFocusTo}
    >
      <form class="stack" onSubmit={submit} noValidate>
        <label>
          Why are you cancelling?{props.terms.commentRequired ? ' (required)' : ' (optional)'}
          <textarea
            ref={commentField}
            name="comment"
            rows="4"
            maxLength={1000}
            aria-required={props.terms.commentRequired}
            aria-describedby="comment-hint"
            aria-invalid={action.error() ? 'true' : undefined}
          />
        </label>
        <p id="comment-hint" class="muted">
          Up to 1,000 characters. The office reads it.
        </p>
        <Show when={props.terms.fee} fallback={<p>There is no charge for cancelling this booking.</p>}>
          {(fee) => (
            <div class="fee-box" role="note" aria-label="Cancellation fee">
              <strong>{fee().name}</strong>
              <p>Cancelling now costs {describeCharge(fee().feeMinor, fee().taxMinor, fee().currency)}.</p>
            </div>
          )}
        </Show>
        <FormError message={action.error()} />
        <div class="actions">
          <button type="button" class="secondary" onClick={() => openChange(false)}>
            Keep booking
          </button>
          <BusyButton busy={action.busy()} label="Cancel" busyLabel="Cancelling…" />
        </div>
      </form>
    </ModalDialog>
  );
}
