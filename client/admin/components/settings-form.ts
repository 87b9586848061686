// What every screen of the business's settings does with its form (Flags & Permissions,
// Business): the fields show what is typed over what the replica holds, field by field, until
// the synced settings say the same (the save has come back through the sync); Save sends only
// the fields changed, checked first with the server's own schema, through settings.update
// with one write id per content saved (Save pressed again after a lost answer is the same
// write); a refused field is marked and focused, and its sentence said.
import { createEffect, createSignal } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { BusinessSettingsUpdate } from '../../../shared/schemas.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { api } from '../../lib/trpc.ts';
import { createAction, createFieldErrors } from '../../lib/ui/form.tsx';

/** A settings form's fields, named as settings.update names them. */
type Form = Record<string, string | boolean>;

export function createSettingsForm<F extends Form>(options: {
  /** The settings as the replica holds them, as the form's fields; null while loading. */
  readonly synced: () => F | null;
  /** A field's typed value as settings.update takes it (whole hours from text, say). */
  readonly toInput?: (field: keyof F, value: F[keyof F]) => unknown;
  /** Said once the server has the change. */
  readonly savedMessage: string;
}) {
  const replica = useReplica();
  const action = createAction();
  const fields = createFieldErrors<Extract<keyof F, string>>(action);
  const [said, setSaid] = createSignal('');
  const [typed, setTyped] = createStore<Partial<F>>({});
  let writeId = crypto.randomUUID();

  createEffect(() => {
    const synced = options.synced();
    if (!synced) return;
    const pending = Object.fromEntries(
      Object.entries(typed).filter(([field, value]) => synced[field] !== value),
    );
    if (Object.keys(pending).length !== Object.keys(typed).length) setTyped(reconcile(pending as Partial<F>));
  });

  return {
    action,
    fields,
    said,
    /** The form as shown: the synced settings with what is typed over them; null while loading. */
    shown: (): F | null => {
      const synced = options.synced();
      return synced ? { ...synced, ...typed } : null;
    },
    change<K extends keyof F>(field: K, value: F[K]) {
      setSaid('');
      fields.clear();
      writeId = crypto.randomUUID();
      setTyped(field as never, value as never);
    },
    submit(event: SubmitEvent) {
      event.preventDefault();
      fields.clear();
      const synced = options.synced();
      if (!synced) return;
      const changed = (Object.keys(typed) as (keyof F)[]).filter((f) => typed[f] !== synced[f]);
      if (!changed.length) return setSaid('Nothing has changed.');
      const input: Record<string, unknown> = { writeId };
      for (const field of changed) {
        const value = typed[field] as F[keyof F];
        input[field as string] = options.toInput ? options.toInput(field, value) : value;
      }
      const checked = BusinessSettingsUpdate.safeParse(input);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        const field = issue?.path[0];
        return fields.refuse(
          typeof field === 'string' && field in synced ? (field as Extract<keyof F, string>) : null,
          issue?.message ?? 'Check the form.',
        );
      }
      void action.run(async () => {
        await replica.callServer(() => api.settings.update.mutate(checked.data));
        writeId = crypto.randomUUID();
        setSaid(options.savedMessage);
      });
    },
  };
}
