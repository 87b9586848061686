// Reports › Cancellations, the rules: which notice bucket a cancellation falls in, the counts by
// channel, notice, service and fieldworker, the fees charged with their tax, the words the
// comments use most, and the rows of the CSV export. Pure: the rows the replica holds, the
// business's time zone and `now` go in; no I/O, no clock reads.
import { instantFromInputs, zonedInputs } from '../../lib/zoned-time.ts';
import { ACTOR_ROLE_LABELS, CHANNEL_NAMES, dayAfterStart, minorToInput } from '../format.ts';

type Instant = Date | string;

/** One cancelled booking as the report reads it from the replica (queries.ts, useCancellationRows). */
export interface CancellationRow {
  id: string;
  cancelled_at: Instant;
  starts_at: Instant;
  cancel_channel: string | null;
  cancelled_by_role: string | null;
  cancel_comment: string | null;
  cancel_fee_name: string | null;
  cancel_fee_minor: number | null;
  cancel_fee_tax_minor: number | null;
  currency: string;
  service_name: string | null;
  fieldworker_name: string | null;
}

// ---- Notice -------------------------------------------------------------------------------

const HOUR_MS = 3_600_000;

/**
 * How long before the start a cancellation came. Each bucket holds its lower bound: 2 h exactly
 * is "2–24 hours", 24 h is "1–7 days", 7 days exactly is still "1–7 days".
 */
const NOTICE_BUCKETS = [
  // A cancellation after the start (a no-show written off, say) has no notice at all.
  { key: 'under_2h', label: 'Under 2 hours (or after the start)', short: 'Under 2 h' },
  { key: '2_to_24h', label: '2–24 hours', short: '2–24 h' },
  { key: '1_to_7d', label: '1–7 days', short: '1–7 days' },
  { key: 'over_7d', label: 'More than 7 days', short: 'Over 7 days' },
] as const;
export type NoticeBucket = (typeof NOTICE_BUCKETS)[number]['key'];

/** Hours from the cancellation to the start; negative when it came after the start. */
const noticeHours = (startsAt: Instant, cancelledAt: Instant) =>
  (new Date(startsAt).getTime() - new Date(cancelledAt).getTime()) / HOUR_MS;

export function noticeBucket(startsAt: Instant, cancelledAt: Instant): NoticeBucket {
  const hours = noticeHours(startsAt, cancelledAt);
  if (hours < 2) return 'under_2h';
  if (hours < 24) return '2_to_24h';
  if (hours <= 7 * 24) return '1_to_7d';
  return 'over_7d';
}

const noticeLabel = (key: NoticeBucket) => NOTICE_BUCKETS.find((b) => b.key === key)?.label ?? key;

// ---- Counts -------------------------------------------------------------------------------

export interface Count {
  readonly label: string;
  readonly count: number;
}

/** A notice bucket's count; `short`: its label where room is scarce (the chart). */
export interface NoticeCount extends Count {
  readonly short: string;
}

export interface FeeTotal {
  readonly currency: string;
  /** How many cancellations were charged a fee above zero. */
  readonly charged: number;
  readonly feeMinor: number;
  readonly taxMinor: number;
}

export interface WordCount {
  readonly word: string;
  /** In how many comments it appears: one long comment repeating a word counts once. */
  readonly comments: number;
}

export interface CancellationSummary {
  readonly total: number;
  /** Every channel cancellations come by (the four a person uses first), zeros included. */
  readonly byChannel: readonly Count[];
  /** The four buckets, in order, zeros included. */
  readonly byNotice: readonly NoticeCount[];
  /** Most first, then by name. */
  readonly byService: readonly Count[];
  readonly byFieldworker: readonly Count[];
  /** One per currency charged in, by currency code. */
  readonly fees: readonly FeeTotal[];
  readonly commonWords: readonly WordCount[];
}

const NO_CHANNEL = 'Not recorded';
const NO_SERVICE = 'No service';
const NO_FIELDWORKER = 'Not assigned';

const channelName = (channel: string | null) =>
  channel === null ? NO_CHANNEL : (CHANNEL_NAMES[channel as keyof typeof CHANNEL_NAMES] ?? channel);

/** The channels a person cancels by, always listed; the others (SQL, system) only when used. */
const PEOPLE_CHANNELS = ['portal', 'email_link', 'admin_app', 'field_app'] as const;

export function summarize(rows: readonly CancellationRow[]): CancellationSummary {
  const channels = tally(rows, (r) => channelName(r.cancel_channel));
  const byChannel = [
    ...PEOPLE_CHANNELS.map((c) => ({ label: CHANNEL_NAMES[c], count: channels.get(CHANNEL_NAMES[c]) ?? 0 })),
    ...mostFirst(
      new Map([...channels].filter(([label]) => !PEOPLE_CHANNELS.some((c) => CHANNEL_NAMES[c] === label))),
    ),
  ];
  const notice = tally(rows, (r) => noticeBucket(r.starts_at, r.cancelled_at));
  return {
    total: rows.length,
    byChannel,
    byNotice: NOTICE_BUCKETS.map((b) => ({ label: b.label, short: b.short, count: notice.get(b.key) ?? 0 })),
    byService: mostFirst(tally(rows, (r) => r.service_name ?? NO_SERVICE)),
    byFieldworker: mostFirst(tally(rows, (r) => r.fieldworker_name ?? NO_FIELDWORKER)),
    fees: feeTotals(rows),
    commonWords: commonWords(rows.map((r) => r.cancel_comment)),
  };
}

function tally<K>(rows: readonly CancellationRow[], key: (row: CancellationRow) => K): Map<K, number> {
  const counts = new Map<K, number>();
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return counts;
}

const byCountThenText = (a: [string, number], b: [string, number]) =>
  b[1] - a[1] || a[0].localeCompare(b[0], 'en');

const mostFirst = (counts: Map<string, number>): Count[] =>
  [...counts].sort(byCountThenText).map(([label, count]) => ({ label, count }));

function feeTotals(rows: readonly CancellationRow[]): FeeTotal[] {
  const totals = new Map<string, FeeTotal>();
  for (const row of rows) {
    if (!row.cancel_fee_minor) continue; // no fee, or a fee that came to nothing
    const sum = totals.get(row.currency) ?? { currency: row.currency, charged: 0, feeMinor: 0, taxMinor: 0 };
    totals.set(row.currency, {
      currency: row.currency,
      charged: sum.charged + 1,
      feeMinor: sum.feeMinor + row.cancel_fee_minor,
      taxMinor: sum.taxMinor + (row.cancel_fee_tax_minor ?? 0),
    });
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

// ---- Words in the comments -----------------------------------------------------------------

/** Words that say nothing about why: a short English list (naive: other languages keep theirs). */
const STOP_WORDS = new Set(
  `about above after again against all also and any are because been before being below between
  both but can cannot could did does doing done down during each few for from further had has
  have having her here hers him his how into its just more most not now off once only other our
  ours out over own same she should some such than that the their theirs them then there these
  they this those through too under until very was were what when where which while who whom why
  will with would you your yours dont didnt cant couldnt wont isnt wasnt im ive well got get
  please thanks thank`.split(/\s+/),
);
const MIN_WORD_LENGTH = 3;
const COMMON_WORDS_SHOWN = 10;

/**
 * The words the comments use most, with in how many comments each appears; most first, then
 * alphabetically. Lowercase, split on anything not a letter (any script), apostrophes dropped
 * first so "don't" is one word; stop words and words under three letters left out.
 */
export function commonWords(comments: readonly (string | null)[], limit = COMMON_WORDS_SHOWN): WordCount[] {
  const counts = new Map<string, number>();
  for (const comment of comments) {
    if (!comment) continue;
    const words = comment
      .normalize('NFC')
      .toLowerCase()
      .replace(/['’]/g, '')
      // \p{M}: a combining accent belongs to its letter.
      .split(/[^\p{L}\p{M}]+/u)
      .filter((w) => [...w].length >= MIN_WORD_LENGTH && !STOP_WORDS.has(w));
    for (const word of new Set(words)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts]
    .sort(byCountThenText)
    .slice(0, limit)
    .map(([word, count]) => ({ word, comments: count }));
}

// ---- The date range --------------------------------------------------------------------------

const DEFAULT_RANGE_DAYS = 30;

/** A calendar date (YYYY-MM-DD) moved by whole days; dates only, so no clock change applies. */
export function shiftDate(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The last `days` days up to today on the business's calendar, today included. */
export function lastDays(
  now: Date,
  timeZone: string,
  days = DEFAULT_RANGE_DAYS,
): { from: string; to: string } {
  const today = zonedInputs(now, timeZone).date;
  return { from: shiftDate(today, 1 - days), to: today };
}

/** The instants a range of calendar days covers in `timeZone`: both days whole, `before` exclusive. */
export const rangeInstants = (from: string, to: string, timeZone: string) => ({
  from: instantFromInputs(from, '00:00', timeZone),
  before: dayAfterStart(to, timeZone),
});

/** "May 3, 2026": a calendar date as the screen says it (the date itself, no zone to apply). */
export function calendarDateInWords(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(year, month - 1, day),
  );
}

// ---- The CSV export --------------------------------------------------------------------------

export const csvFileName = (from: string, to: string) => `cancellations-${from}-to-${to}`;

/** The export's columns, in order; the times' header names the zone they are in. */
export function csvColumns(timeZone: string) {
  return [
    { key: 'cancelled_at', displayLabel: `Canceled at (${timeZone})` },
    { key: 'starts_at', displayLabel: `Starts at (${timeZone})` },
    { key: 'notice_hours', displayLabel: 'Notice (hours)' },
    { key: 'notice', displayLabel: 'Notice' },
    { key: 'channel', displayLabel: 'Channel' },
    { key: 'cancelled_by', displayLabel: 'Canceled by' },
    { key: 'service', displayLabel: 'Service' },
    { key: 'fieldworker', displayLabel: 'Fieldworker' },
    { key: 'fee', displayLabel: 'Fee' },
    { key: 'fee_amount', displayLabel: 'Fee amount' },
    { key: 'fee_tax', displayLabel: 'Fee tax' },
    { key: 'currency', displayLabel: 'Currency' },
    { key: 'comment', displayLabel: 'Comment' },
    { key: 'booking_id', displayLabel: 'Booking id' },
  ] as const;
}

type CsvRow = Record<ReturnType<typeof csvColumns>[number]['key'], string | number>;

const localTime = (at: Instant, timeZone: string) => {
  const { date, time } = zonedInputs(at, timeZone);
  return `${date} ${time}`;
};

/**
 * The rows behind the report, one per cancellation, as a spreadsheet reads them: times on the
 * business's clock, amounts as decimals in the booking's currency, '' for nothing (never
 * "null"). Escaping, and the guard against cells read as formulas, are the CSV writer's.
 */
export function csvRows(rows: readonly CancellationRow[], timeZone: string): CsvRow[] {
  return rows.map((r) => ({
    cancelled_at: localTime(r.cancelled_at, timeZone),
    starts_at: localTime(r.starts_at, timeZone),
    notice_hours: Math.round(noticeHours(r.starts_at, r.cancelled_at) * 10) / 10,
    notice: noticeLabel(noticeBucket(r.starts_at, r.cancelled_at)),
    channel: channelName(r.cancel_channel),
    cancelled_by:
      ACTOR_ROLE_LABELS[r.cancelled_by_role as keyof typeof ACTOR_ROLE_LABELS] ?? r.cancelled_by_role ?? '',
    service: r.service_name ?? NO_SERVICE,
    fieldworker: r.fieldworker_name ?? NO_FIELDWORKER,
    fee: r.cancel_fee_name ?? '',
    fee_amount: r.cancel_fee_minor === null ? '' : minorToInput(r.cancel_fee_minor, r.currency),
    fee_tax: r.cancel_fee_tax_minor === null ? '' : minorToInput(r.cancel_fee_tax_minor, r.currency),
    currency: r.currency,
    comment: r.cancel_comment ?? '',
    booking_id: r.id,
  }));
}
