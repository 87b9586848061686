// Settings › Financial Settings › Tax and fees: the cancellation fees the office charges (a
// flat amount or a percent of the booking's price, each with a tax rate). Create, edit, switch
// off and on again; an example on a sample price follows what is typed. A fee's past charges
// keep their frozen amounts (bookings.cancel_fee_*), so editing one changes only what comes.
// Read from the replica; saved through the server (fees.save, fees.setActive), so saving
// needs a connection.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { describeFeeRule, type FeeRule, feeRuleOf, formatMoney, quoteFee } from '../../../shared/fees.ts';
import { SaveFeeInput } from '../../../shared/schemas.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { api } from '../../lib/trpc.ts';
import { BusyButton, createAction, createFieldErrors, FormError } from '../../lib/ui/form.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { bpToInput, type FeeRow, inputToMinor, minorToInput, percentToBp } from '../format.ts';
import { useAllFees, usePortalSettings } from '../queries.ts';

type Field = 'name' | 'amount' | 'percent' | 'tax';
const ERROR_ID = 'fee-form-error';
const EXAMPLE_ID = 'fee-example';

export function FeesSettings() {
  const replica = useReplica();
  const fees = useAllFees();
  const settings = usePortalSettings();
  const currency = () => settings.row()?.currency ?? 'USD';
  const action = createAction();
  const fields = createFieldErrors<Field>(action);
  const { ref, ariaInvalid, refuse } = fields;
  const [said, setSaid] = createSignal('');

  // The form: a new fee, or the fee being edited.
  const [editing, setEditing] = createSignal<string | null>(null);
  const [name, setName] = createSignal('');
  const [kind, setKind] = createSignal<'flat' | 'percent'>('flat');
  const [amount, setAmount] = createSignal('');
  const [percent, setPercent] = createSignal('');
  const [tax, setTax] = createSignal('0');
  /** A field changed by the person: what was refused is being fixed. */
  const typed =
    <T,>(set: (value: T) => unknown) =>
    (value: T) => {
      fields.clear();
      setSaid('');
      writeId = crypto.randomUUID();
      set(value);
    };
  const [sample, setSample] = createSignal('100.00');
  let nameInput: HTMLInputElement | undefined;
  /** One write id per content saved: Save pressed again after a lost answer is the same write. */
  let writeId = crypto.randomUUID();
  let feeId: string = crypto.randomUUID();

  const startNew = () => {
    setEditing(null);
    setName('');
    setKind('flat');
    setAmount('');
    setPercent('');
    setTax('0');
    feeId = crypto.randomUUID();
    writeId = crypto.randomUUID();
    fields.clear();
  };
  const edit = (fee: FeeRow) => {
    const rule = feeRuleOf(fee);
    setEditing(fee.id);
    setName(fee.name);
    setKind(rule.kind);
    setAmount(rule.kind === 'flat' ? minorToInput(rule.amountMinor, currency()) : '');
    setPercent(rule.kind === 'percent' ? bpToInput(rule.percentBp) : '');
    setTax(bpToInput(rule.taxRateBp));
    feeId = fee.id;
    writeId = crypto.randomUUID();
    setSaid('');
    fields.clear();
    nameInput?.focus();
  };

  /** The rule as typed, or null while something typed is not a number yet. */
  const typedRule = createMemo((): FeeRule | null => {
    const taxBp = percentToBp(tax(), 'tax rate');
    if ('error' in taxBp) return null;
    if (kind() === 'flat') {
      const minor = inputToMinor(amount(), currency(), 'amount');
      return 'error' in minor ? null : { kind: 'flat', amountMinor: minor.minor, taxRateBp: taxBp.bp };
    }
    const bp = percentToBp(percent(), 'percent of the price');
    return 'error' in bp ? null : { kind: 'percent', percentBp: bp.bp, taxRateBp: taxBp.bp };
  });
  const example = () => {
    const rule = typedRule();
    const price = inputToMinor(sample(), currency());
    if (!rule || 'error' in price) return 'Type the fee and a sample price to see what a cancellation costs.';
    try {
      const q = quoteFee(rule, price.minor, currency());
      const money = (minor: number) => formatMoney(minor, currency());
      return `On a ${money(price.minor)} booking: fee ${money(q.feeMinor)} + tax ${money(q.taxMinor)} = ${money(q.totalMinor)}.`;
    } catch {
      return 'That fee cannot be computed: check the numbers.';
    }
  };

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    fields.clear();
    setSaid('');
    const taxBp = percentToBp(tax(), 'tax rate');
    if ('error' in taxBp) return refuse('tax', taxBp.error);
    let amountMinor: number | null = null;
    let percentBp: number | null = null;
    if (kind() === 'flat') {
      const minor = inputToMinor(amount(), currency(), 'amount');
      if ('error' in minor) return refuse('amount', minor.error);
      amountMinor = minor.minor;
    } else {
      const bp = percentToBp(percent(), 'percent of the price');
      if ('error' in bp) return refuse('percent', bp.error);
      percentBp = bp.bp;
    }
    const checked = SaveFeeInput.safeParse({
      writeId,
      id: feeId,
      name: name(),
      kind: kind(),
      amountMinor,
      percentBp,
      taxRateBp: taxBp.bp,
    });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const byPath: Record<string, Field> = {
        name: 'name',
        amountMinor: 'amount',
        percentBp: 'percent',
        taxRateBp: 'tax',
      };
      return refuse(byPath[String(issue?.path[0])] ?? null, issue?.message ?? 'Check the form.');
    }
    void action.run(async () => {
      const fee = await replica.callServer(() => api.fees.save.mutate(checked.data));
      setSaid(
        editing() ? `Saved “${fee.name}”. Past cancellations keep what they cost.` : `Added “${fee.name}”.`,
      );
      startNew();
    });
  };

  const listAction = createAction();
  const setActive = (fee: FeeRow & { active: boolean }, active: boolean) =>
    listAction.run(async () => {
      setSaid('');
      const answer = await replica.callServer(() =>
        api.fees.setActive.mutate({ writeId: crypto.randomUUID(), id: fee.id, active }),
      );
      setSaid(
        answer.portalFeeOff
          ? `Switched off “${fee.name}”. It was the fee for customers’ late cancellations: they cost nothing now, until you choose another fee in Flags & Permissions.`
          : active
            ? `Switched “${fee.name}” on again.`
            : `Switched off “${fee.name}”: it is no longer offered. Past cancellations keep what they cost.`,
      );
    });

  return (
    <section aria-labelledby="fees-heading">
      <p class="muted">Settings › Financial Settings</p>
      <h2 id="fees-heading">Tax and fees</h2>
      <form class="stack card" onSubmit={submit} noValidate aria-labelledby="fee-form-heading">
        <h3 id="fee-form-heading">{editing() ? `Edit “${name()}”` : 'New cancellation fee'}</h3>
        <label>
          Name
          <input
            ref={(el) => {
              nameInput = el;
              ref('name')(el);
            }}
            value={name()}
            onInput={(e) => typed(setName)(e.currentTarget.value)}
            autocomplete="off"
            aria-invalid={ariaInvalid('name')}
            aria-describedby={ERROR_ID}
          />
        </label>
        <fieldset>
          <legend>The fee is</legend>
          <label class="choice">
            <input
              type="radio"
              name="fee-kind"
              checked={kind() === 'flat'}
              onChange={() => typed(setKind)('flat')}
            />
            A flat amount
          </label>
          <label class="choice">
            <input
              type="radio"
              name="fee-kind"
              checked={kind() === 'percent'}
              onChange={() => typed(setKind)('percent')}
            />
            A percent of the booking's price
          </label>
        </fieldset>
        <Show
          when={kind() === 'flat'}
          fallback={
            <label>
              Percent of the price
              <input
                ref={ref('percent')}
                inputmode="decimal"
                value={percent()}
                onInput={(e) => typed(setPercent)(e.currentTarget.value)}
                autocomplete="off"
                aria-invalid={ariaInvalid('percent')}
                aria-describedby={`${EXAMPLE_ID} ${ERROR_ID}`}
              />
            </label>
          }
        >
          <label>
            Amount ({currency()})
            <input
              ref={ref('amount')}
              inputmode="decimal"
              value={amount()}
              onInput={(e) => typed(setAmount)(e.currentTarget.value)}
              autocomplete="off"
              aria-invalid={ariaInvalid('amount')}
              aria-describedby={`${EXAMPLE_ID} ${ERROR_ID}`}
            />
          </label>
        </Show>
        <label>
          Tax rate (percent, 0 for none)
          <input
            ref={ref('tax')}
            inputmode="decimal"
            value={tax()}
            onInput={(e) => typed(setTax)(e.currentTarget.value)}
            autocomplete="off"
            aria-invalid={ariaInvalid('tax')}
            aria-describedby={`${EXAMPLE_ID} ${ERROR_ID}`}
          />
        </label>
        <label>
          Sample booking price, for the example ({currency()})
          <input inputmode="decimal" value={sample()} onInput={(e) => setSample(e.currentTarget.value)} />
        </label>
        <p id={EXAMPLE_ID} class="hint" aria-live="polite">
          {example()}
        </p>
        <SettingsStatus id={ERROR_ID} error={action.error()} />
        <div class="actions">
          <BusyButton busy={action.busy()} label={editing() ? 'Save fee' : 'Add fee'} busyLabel="Saving…" />
          <Show when={editing()}>
            <button type="button" class="secondary" onClick={startNew}>
              Stop editing
            </button>
          </Show>
        </div>
      </form>

      <Show when={said()}>
        <p class="notice" role="status">
          {said()}
        </p>
      </Show>
      <FormError message={listAction.error()} />
      <h3>Fees</h3>
      <Show when={fees.rows()} fallback={<p role="status">Loading the fees on this device…</p>}>
        {(rows) => (
          <ul class="list" aria-label="Fees">
            <For each={rows()} fallback={<li class="muted">No fees yet.</li>}>
              {(fee) => (
                <li class="fee-row">
                  <p>
                    <strong>{fee.name}</strong> · {describeFeeRule(feeRuleOf(fee), currency())}
                    <Show when={!fee.active}>
                      {' '}
                      · <span class="muted">Switched off</span>
                    </Show>
                  </p>
                  <Show when={fee.id === settings.row()?.customer_cancel_fee_id}>
                    <p class="hint">Charged for customers' late cancellations (Flags &amp; Permissions).</p>
                  </Show>
                  <div class="actions">
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => edit(fee)}
                      aria-label={`Edit ${fee.name}`}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      disabled={listAction.busy()}
                      onClick={() => void setActive(fee, !fee.active)}
                      aria-label={`${fee.active ? 'Switch off' : 'Switch on'} ${fee.name}`}
                    >
                      {fee.active ? 'Switch off' : 'Switch on'}
                    </button>
                  </div>
                </li>
              )}
            </For>
          </ul>
        )}
      </Show>
    </section>
  );
}
