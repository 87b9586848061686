// Reports › Cancellations: for a range of days on the business's calendar (the last 30 by
// default, kept in the page's address), the cancellations by channel, notice, service and
// fieldworker, the fees charged with their tax, the words the comments use most, a chart of
// the notice, and the rows as a CSV download. Counted in the browser from the replica, so it
// works offline; the rules are report/cancellation-report.ts. Loaded only when opened
// (main.tsx), and the chart's library only once there is something to draw.
import { useSearchParams } from '@solidjs/router';
import {
  createEffect,
  createMemo,
  createSignal,
  For,
  type JSX,
  Match,
  onCleanup,
  Show,
  Switch,
} from 'solid-js';
import { formatMoney } from '../../../shared/fees.ts';
import { isCalendarDate, paramText, plural } from '../format.ts';
import { useBusiness, useCancellationRows } from '../queries.ts';
import { downloadCancellationCsv } from '../report/cancellation-csv.ts';
import {
  type CancellationSummary,
  type Count,
  calendarDateInWords,
  type FeeTotal,
  lastDays,
  rangeInstants,
  summarize,
} from '../report/cancellation-report.ts';

export function CancellationReport() {
  const [search, setSearch] = useSearchParams();
  const business = useBusiness();
  // The zone as a string, not the settings row: a new row object must not rebuild the query.
  const timeZone = createMemo(() => business.row()?.time_zone);
  const defaults = createMemo(() => {
    const zone = timeZone();
    return zone ? lastDays(new Date(), zone) : null;
  });
  const from = () =>
    isCalendarDate(paramText(search.from)) ? paramText(search.from) : (defaults()?.from ?? '');
  const to = () => (isCalendarDate(paramText(search.to)) ? paramText(search.to) : (defaults()?.to ?? ''));
  const backwards = () => Boolean(from() && to() && from() > to());
  const range = createMemo(() => {
    const zone = timeZone();
    return zone && from() && to() && !backwards() ? rangeInstants(from(), to(), zone) : null;
  });
  const cancellations = useCancellationRows(range);
  const summary = createMemo(() => {
    const rows = cancellations.rows();
    return rows && summarize(rows);
  });
  const between = () => `between ${calendarDateInWords(from())} and ${calendarDateInWords(to())}`;

  const exportCsv = () =>
    downloadCancellationCsv({
      rows: cancellations.rows() ?? [],
      timeZone: timeZone() ?? 'UTC',
      from: from(),
      to: to(),
    });

  return (
    <section class="report" aria-labelledby="report-heading">
      <p class="muted">Reports</p>
      <h2 id="report-heading">Cancellations</h2>
      <Show when={timeZone()} fallback={<p role="status">Loading the business’s settings on this device…</p>}>
        {(zone) => (
          <form class="filters" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
            <label>
              From
              <input
                type="date"
                value={from()}
                max={to() || undefined}
                onChange={(e) => setSearch({ from: e.currentTarget.value || null }, { replace: true })}
                aria-describedby="report-zone"
              />
            </label>
            <label>
              To
              <input
                type="date"
                value={to()}
                min={from() || undefined}
                onChange={(e) => setSearch({ to: e.currentTarget.value || null }, { replace: true })}
                aria-describedby="report-zone"
              />
            </label>
            <p id="report-zone" class="muted small wide">
              Days in {zone().replaceAll('_', ' ')} time, by when the booking was cancelled; both ends are
              included. Counted on this device, so it works offline.
            </p>
          </form>
        )}
      </Show>
      <Switch>
        <Match when={backwards()}>
          <p class="error" role="alert">
            The From date is after the To date: choose a From date on or before the To date.
          </p>
        </Match>
        <Match when={cancellations.error()}>
          <p class="error" role="alert">
            {cancellations.error()}
          </p>
        </Match>
        <Match when={!summary()}>
          <Show when={timeZone()}>
            <p role="status">Counting the cancellations on this device…</p>
          </Show>
        </Match>
        <Match when={summary()?.total === 0}>
          <p role="status">No cancellations {between()}.</p>
        </Match>
        <Match when={summary()}>
          {(s) => (
            <>
              <div class="report-total">
                <p role="status">
                  <strong>{plural(s().total, 'cancellation', 'cancellations')}</strong> {between()}.
                </p>
                <button type="button" class="secondary" onClick={exportCsv}>
                  Download CSV
                </button>
                <p class="muted small">One row per cancellation, for a spreadsheet.</p>
              </div>
              <NoticeChart summary={s()} />
              <div class="report-tables">
                <CountTable
                  caption="By notice (how long before the start)"
                  what="Notice"
                  counts={s().byNotice}
                />
                <CountTable caption="By channel" what="Channel" counts={s().byChannel} />
                <CountTable caption="By service" what="Service" counts={s().byService} />
                <CountTable caption="By fieldworker" what="Fieldworker" counts={s().byFieldworker} />
                <FeesTable summary={s()} />
                <Show
                  when={s().commonWords.length > 0}
                  fallback={<p class="report-note">The comments have no words to count.</p>}
                >
                  <CountTable
                    caption="Words the comments use most"
                    what="Word"
                    per="Comments"
                    counts={s().commonWords.map((w) => ({ label: w.word, count: w.comments }))}
                  />
                </Show>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** A count per row; `per`: what is counted (cancellations unless said). */
function CountTable(props: { caption: string; what: string; per?: string; counts: readonly Count[] }) {
  return (
    <table class="report-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.what}</th>
          <th scope="col">{props.per ?? 'Cancellations'}</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.counts}>
          {(c) => (
            <tr>
              <th scope="row">{c.label}</th>
              <td>{c.count.toLocaleString('en-US')}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** One column per currency, so a phone has room: most businesses charge in one. */
function FeesTable(props: { summary: CancellationSummary }) {
  const lines = [
    { label: 'Cancellations charged', value: (f: FeeTotal) => f.charged.toLocaleString('en-US') },
    { label: 'Fees', value: (f: FeeTotal) => formatMoney(f.feeMinor, f.currency) },
    { label: 'Tax on the fees', value: (f: FeeTotal) => formatMoney(f.taxMinor, f.currency) },
    { label: 'Total', value: (f: FeeTotal) => formatMoney(f.feeMinor + f.taxMinor, f.currency) },
  ];
  return (
    <Show
      when={props.summary.fees.length > 0}
      fallback={<p class="report-note">No fee was charged for these cancellations.</p>}
    >
      <table class="report-table">
        <caption>Fees charged</caption>
        <thead>
          <tr>
            <td />
            <For each={props.summary.fees}>{(fee) => <th scope="col">{fee.currency}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={lines}>
            {(line) => (
              <tr>
                <th scope="row">{line.label}</th>
                <For each={props.summary.fees}>{(fee) => <td>{line.value(fee)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}

/**
 * Cancellations by notice as bars: how much warning the business gets, at a glance. A picture
 * (role="img") whose words are its label; the table below says the same in numbers.
 */
function NoticeChart(props: { summary: CancellationSummary }): JSX.Element {
  let canvas: HTMLDivElement | undefined;
  const [failed, setFailed] = createSignal(false);
  const bars = () => props.summary.byNotice.map((c) => ({ label: c.short, count: c.count }));
  const described = () =>
    `Bar chart of cancellations by notice: ${props.summary.byNotice.map((c) => `${c.label}, ${c.count}`).join('; ')}.`;

  createEffect(() => {
    const shown = bars();
    let remove: (() => void) | undefined;
    let gone = false;
    import('../report/bar-chart.ts')
      .then(({ drawBarChart }) => {
        if (!gone && canvas) remove = drawBarChart(canvas, shown);
      })
      // The tables carry every number: without its code (an old cached app) the chart is simply left out.
      .catch(() => setFailed(true));
    onCleanup(() => {
      gone = true;
      remove?.();
    });
  });

  return (
    <Show when={!failed()}>
      <figure class="report-chart">
        <figcaption>How long before the start they cancelled</figcaption>
        <div ref={canvas} class="bar-chart" role="img" aria-label={described()} />
      </figure>
    </Show>
  );
}
