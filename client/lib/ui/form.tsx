// The pieces every form shares: an action that tracks "busy" and a readable error, which
// field a check refused, the error line (announced to screen readers), and a button that
// shows progress and cannot be pressed twice.
import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../trpc.ts';

export function createAction(onError?: (error: unknown) => void) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  /** Runs `work` unless one is already running; a thrown error becomes the error line. */
  const run = async (work: () => Promise<void>, onFailed?: () => void) => {
    if (busy()) return;
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
      onError?.(e);
      onFailed?.();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/**
 * Which field the form's last check refused: that field is marked aria-invalid and focused,
 * and the action's error line says why. `ref(field)` registers a field's element.
 */
export function createFieldErrors<Field extends string>(action: { setError(message: string): void }) {
  const [invalid, setInvalid] = createSignal<Field | null>(null);
  const elements: Partial<Record<Field, HTMLElement>> = {};
  return {
    invalid,
    ariaInvalid: (field: Field) => (invalid() === field ? ('true' as const) : undefined),
    ref: (field: Field) => (el: HTMLElement) => {
      elements[field] = el;
    },
    focus: (field: Field) => elements[field]?.focus(),
    refuse(field: Field | null, message: string) {
      setInvalid(() => field);
      action.setError(message);
      if (field) elements[field]?.focus();
    },
    /** Nothing refused any more: the field's mark and the error line go (the person is fixing it). */
    clear: () => {
      setInvalid(null);
      action.setError('');
    },
  };
}

export function FormError(props: { message: string }) {
  return (
    <Show when={props.message}>
      <p class="error" role="alert">
        {props.message}
      </p>
    </Show>
  );
}

export function BusyButton(props: { busy: boolean; label: string; busyLabel: string; onClick?: () => void }) {
  return (
    <button
      type={props.onClick ? 'button' : 'submit'}
      onClick={() => props.onClick?.()}
      disabled={props.busy}
      aria-busy={props.busy}
    >
      {props.busy ? props.busyLabel : props.label}
    </button>
  );
}
