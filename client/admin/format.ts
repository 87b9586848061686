// How the admin screens turn stored values into words and form values, and form values back:
// times between UTC instants and the business's wall clock, money between minor units and
// what a person types, and the audit trail's roles and channels in words.
import { TZDate } from '@date-fns/tz';
import { minorUnitDigits } from '../../shared/fees.ts';
import { CalendarDate, TimeOfDay } from '../../shared/input-rules.ts';
import type { ActorRole, Channel } from '../../shared/vocabulary.ts';
import { instantFromInputs } from '../lib/zoned-time.ts';

/** Where a change came from, as the history reads it ("by Ana (admin) in the admin app"). */
export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  portal: 'in the customer portal',
  email_link: 'from an email link',
  admin_app: 'in the admin app',
  field_app: 'in the fieldworker app',
  sql: 'directly in the database',
  system: 'by the system',
};

/** A channel by its name, as a report's table or a spreadsheet column lists it. */
export const CHANNEL_NAMES: Readonly<Record<Channel, string>> = {
  portal: 'Customer portal',
  email_link: 'Email link',
  admin_app: 'Admin app',
  field_app: 'Fieldworker app',
  sql: 'Database (SQL)',
  system: 'System',
};

export const ACTOR_ROLE_LABELS: Readonly<Record<ActorRole, string>> = {
  customer: 'customer',
  admin: 'admin',
  fieldworker: 'fieldworker',
  system: 'system',
};

/**
 * A start from a date and a time field, checked with the same rules the server's schemas use:
 * the instant, or which field to mend and why.
 */
export function startFromInputs(
  date: string,
  time: string,
  timeZone: string,
): { startsAt: string } | { field: 'date' | 'time'; message: string } {
  const d = CalendarDate.safeParse(date);
  if (!d.success) return { field: 'date', message: d.error.issues[0]?.message ?? 'Choose a date.' };
  const t = TimeOfDay.safeParse(time);
  if (!t.success) return { field: 'time', message: t.error.issues[0]?.message ?? 'Choose a time.' };
  return { startsAt: instantFromInputs(d.data, t.data, timeZone) };
}

/** The first instant of the day after `date` in `timeZone`: a date range's "to" includes its whole day. */
export function dayAfterStart(date: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day + 1, 0, 0, 0, timeZone).getTime()).toISOString();
}

/** A query parameter of the page's address as text ('' when absent or repeated). */
export const paramText = (value: string | string[] | undefined) => (typeof value === 'string' ? value : '');

/** Whether `value` is a real calendar date as a date input gives it (YYYY-MM-DD). */
export const isCalendarDate = (value: string) => CalendarDate.safeParse(value).success;

export const addMinutes = (at: string | Date, minutes: number) =>
  new Date(new Date(at).getTime() + minutes * 60_000).toISOString();

/** A stored amount as a price field shows it: 12050 USD → "120.50", 1200 JPY → "1200". */
export function minorToInput(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * What a person typed in a price field, in minor units, or a sentence saying what to fix.
 * Read as decimal text, never through a float, so "0.29" is 29 and not 28.999….
 */
export function inputToMinor(
  text: string,
  currency: string,
  what = 'price',
): { minor: number } | { error: string } {
  const digits = minorUnitDigits(currency);
  const cleaned = text.trim().replace(/[\s,]/g, '');
  const example = digits === 0 ? '1200' : `120.${'0'.repeat(digits)}`;
  if (!cleaned) return { error: `Enter the ${what}.` };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return { error: `Enter the ${what} as a number, like ${example}.` };
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      error:
        digits === 0
          ? `${currency} has no smaller unit: enter a whole number.`
          : `Use at most ${digits} decimals.`,
    };
  }
  const minor = Number(`${match[1]}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) return { error: 'That price is too large.' };
  return { minor };
}

/**
 * A percent a person typed ("12.5", "8 %"), in basis points (1250), or a sentence saying what
 * to fix. Read as decimal text, like a price: a basis point (0.01 %) is the finest a rate is.
 */
export function percentToBp(text: string, what: string): { bp: number } | { error: string } {
  const cleaned = text.trim().replace(/\s*%$/, '');
  if (!cleaned) return { error: `Enter the ${what} in percent, like 8.` };
  const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return { error: `Enter the ${what} in percent, with at most two decimals, like 8.25.` };
  return { bp: Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) };
}

/** Basis points as a person types a percent: 1250 → "12.5". */
export const bpToInput = (bp: number) => String(bp / 100);

/** A fee as the replica holds it (the `fees` view). */
export interface FeeRow {
  id: string;
  name: string;
  kind: string;
  amount_minor: number | null;
  percent_bp: number | null;
  tax_rate_bp: number;
}

export const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Said after a write is on the device: true online or off, and honest about what happens next. */
export const SAVED_ON_DEVICE = 'Saved on this device. It is sent to the server as soon as it can be.';

/** The mail server's last word, said so a person can act on it (the raw words follow). */
export function failureInWords(error: string | null): string {
  if (!error) return 'It could not be sent.';
  if (/\b5\d\d\b/.test(error))
    return 'The mail server refused it: the address is probably wrong or no longer in use.';
  if (/ECONNREFUSED|ETIMEDOUT|ENOTFOUND|connect|timeout/i.test(error))
    return 'The mail server could not be reached, retry after retry.';
  if (/template/i.test(error)) return 'It could not be written: its email template is missing or broken.';
  return 'It could not be sent.';
}
