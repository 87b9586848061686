// Settings › Email templates: the confirmation, reminder, cancellation and sign-in emails, each
// a subject, an HTML body and a text body with placeholders. The placeholders an email may use
// are listed with what they hold (shared/email-placeholders.ts, the list the server checks
// against); a live preview comes from the server's own renderer on the soonest upcoming
// booking; a template naming an unknown placeholder is refused by name on save; the default can
// be put back. Read from the replica; saved through the server, so saving needs a connection.
import { useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { PLACEHOLDERS } from '../../../shared/email-placeholders.ts';
import { EMAIL_KIND_LABELS, EMAIL_KINDS, type EmailKind } from '../../../shared/vocabulary.ts';
import { useReplica } from '../../lib/replica/context.tsx';
import { api, errorMessage } from '../../lib/trpc.ts';
import { BusyButton, createAction } from '../../lib/ui/form.tsx';
import { SettingsStatus } from '../components/SettingsStatus.tsx';
import { useEmailTemplates, usePortalSettings } from '../queries.ts';

interface Parts {
  subject: string;
  bodyHtml: string;
  bodyText: string;
}
interface Preview {
  booking: string | null;
  subject: string;
  html: string;
  text: string;
}

const BODIES = [
  { part: 'bodyHtml', label: 'HTML body' },
  { part: 'bodyText', label: 'Text body' },
] as const;

/** The preview follows typing after this pause, not every key. */
const PREVIEW_AFTER_MS = 600;
const isKind = (value: unknown): value is EmailKind => EMAIL_KINDS.includes(value as EmailKind);

export function EmailTemplates() {
  const replica = useReplica();
  const templates = useEmailTemplates();
  const settings = usePortalSettings();
  const [params, setParams] = useSearchParams<{ kind?: string }>();
  const kind = (): EmailKind => (isKind(params.kind) ? params.kind : 'confirmation');
  const action = createAction();
  const [said, setSaid] = createSignal('');

  const saved = createMemo((): Parts | null => {
    const row = templates.rows()?.find((t) => t.kind === kind());
    return row ? { subject: row.subject, bodyHtml: row.body_html, bodyText: row.body_text } : null;
  });
  // What is typed for this kind, over the saved template, until saved (and synced back).
  const [typed, setTyped] = createSignal<Parts | null>(null);
  const parts = (): Parts | null => typed() ?? saved();
  createEffect(
    on(kind, () => {
      setTyped(null);
      setSaid('');
      action.setError('');
    }),
  );
  createEffect(() => {
    const t = typed();
    const s = saved();
    if (t && s && t.subject === s.subject && t.bodyHtml === s.bodyHtml && t.bodyText === s.bodyText)
      setTyped(null);
  });
  const change = (part: keyof Parts, value: string) => {
    const current = parts();
    if (!current) return;
    setSaid('');
    action.setError('');
    writeId = crypto.randomUUID();
    setTyped({ ...current, [part]: value });
  };
  /** One write id per content saved: Save pressed again after a lost answer is the same write. */
  let writeId = crypto.randomUUID();

  // The live preview: the server renders what is typed, a moment after the typing stops.
  const [preview, setPreview] = createSignal<Preview | null>(null);
  const [previewError, setPreviewError] = createSignal('');
  let previewRun = 0;
  createEffect(() => {
    const current = parts();
    const forKind = kind();
    if (!current) return;
    const run = ++previewRun;
    const timer = setTimeout(async () => {
      try {
        const rendered = await replica.callServer(() =>
          api.emails.previewTemplate.query({ kind: forKind, ...current }),
        );
        if (run !== previewRun) return;
        setPreview(rendered);
        setPreviewError('');
      } catch (error) {
        if (run === previewRun) setPreviewError(errorMessage(error));
      }
    }, PREVIEW_AFTER_MS);
    onCleanup(() => clearTimeout(timer));
  });

  const carriesCancelLink = () => {
    const p = parts();
    return !!p && /\{\{\s*[#/]?\s*cancel_link\s*\}\}/.test(p.subject + p.bodyHtml + p.bodyText);
  };
  const cancellingOff = () => settings.row()?.customer_cancel_enabled === false;

  const save = (event: SubmitEvent) => {
    event.preventDefault();
    const current = parts();
    if (!current) return;
    setSaid('');
    void action.run(async () => {
      await replica.callServer(() => api.emails.saveTemplate.mutate({ writeId, kind: kind(), ...current }));
      writeId = crypto.randomUUID();
      setSaid(`Saved. The next ${EMAIL_KIND_LABELS[kind()].toLowerCase()} email follows it.`);
    });
  };
  const restoreDefault = () =>
    action.run(async () => {
      const template = await replica.callServer(() => api.emails.defaultTemplate.query({ kind: kind() }));
      writeId = crypto.randomUUID();
      setTyped(template);
      setSaid('The default template is in the form: press Save to keep it.');
    });

  return (
    <section aria-labelledby="templates-heading">
      <p class="muted">Settings</p>
      <h2 id="templates-heading">Email templates</h2>
      <label>
        Email
        <select
          value={kind()}
          onChange={(e) => setParams({ kind: e.currentTarget.value }, { replace: true })}
        >
          <For each={EMAIL_KINDS}>
            {(k) => (
              <option value={k} selected={k === kind()}>
                {EMAIL_KIND_LABELS[k]}
              </option>
            )}
          </For>
        </select>
      </label>
      <Show when={parts()} fallback={<p role="status">Loading the templates on this device…</p>}>
        {(p) => (
          <form
            class="stack card"
            onSubmit={save}
            noValidate
            aria-label={`${EMAIL_KIND_LABELS[kind()]} template`}
          >
            <Show when={carriesCancelLink() && cancellingOff()}>
              <p class="hint warning" role="note">
                This template has {'{{cancel_link}}'}, but customers may not cancel online now (Flags &amp;
                Permissions): the link renders nothing until that is switched on.
              </p>
            </Show>
            <label>
              Subject
              <input
                value={p().subject}
                onInput={(e) => change('subject', e.currentTarget.value)}
                aria-describedby="template-error"
              />
            </label>
            <For each={BODIES}>
              {(body) => (
                <label>
                  {body.label}
                  <textarea
                    rows="8"
                    class="code"
                    value={p()[body.part]}
                    onInput={(e) => change(body.part, e.currentTarget.value)}
                    aria-describedby="template-error"
                  />
                </label>
              )}
            </For>
            <details>
              <summary>Placeholders this email may use</summary>
              <dl class="placeholders">
                <For each={PLACEHOLDERS[kind()]}>
                  {(placeholder) => (
                    <>
                      <dt>
                        <code>{`{{${placeholder.name}}}`}</code>
                      </dt>
                      <dd>{placeholder.description}</dd>
                    </>
                  )}
                </For>
              </dl>
              <p class="hint">
                Wrap a part in {'{{#name}}…{{/name}}'} to keep it only when that placeholder has a value.
              </p>
            </details>
            <SettingsStatus id="template-error" error={action.error()} said={said()} />
            <div class="actions">
              <BusyButton busy={action.busy()} label="Save" busyLabel="Saving…" />
              <button type="button" class="secondary" onClick={() => void restoreDefault()}>
                Restore the default
              </button>
            </div>
          </form>
        )}
      </Show>

      <section class="card" aria-labelledby="preview-heading">
        <h3 id="preview-heading">Preview</h3>
        <Show when={previewError()}>
          <p class="error" role="alert">
            {previewError()}
          </p>
        </Show>
        <Show when={preview()} fallback={<p role="status">Rendering the preview…</p>}>
          {(shown) => (
            <>
              <p class="muted">
                {shown().booking
                  ? `Rendered on ${shown().booking}.`
                  : 'Rendered with sample values: no booking is coming up.'}
              </p>
              <p>
                <strong>Subject:</strong> {shown().subject}
              </p>
              <iframe title="The email as HTML" class="email-preview" sandbox="" srcdoc={shown().html} />
              <figure class="email-preview-text">
                <figcaption>The email as text</figcaption>
                <pre>{shown().text}</pre>
              </figure>
            </>
          )}
        </Show>
      </section>
    </section>
  );
}
