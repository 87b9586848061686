// Wall-clock dates and times in the business's time zone, for both staff apps: what a date or
// time field shows for an instant, and back; which calendar day an instant falls on there.
import { TZDate } from '@date-fns/tz';

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock date and time of `at` in `timeZone`, as `<input type=date|time>` take them. */
export function zonedInputs(at: Date | string, timeZone: string): { date: string; time: string } {
  const t = new TZDate(new Date(at).getTime(), timeZone);
  return {
    date: `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`,
    time: `${pad(t.getHours())}:${pad(t.getMinutes())}`,
  };
}

/**
 * The instant (UTC ISO) a wall-clock date and time in `timeZone` means. Takes what the shared
 * CalendarDate / TimeOfDay schemas accepted. N.b. a time skipped by a clock change (02:30 on the
 * spring-forward night) moves forward by the gap, as the zone's clocks did.
 */
export function instantFromInputs(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return new Date(new TZDate(year, month - 1, day, hour, minute, 0, timeZone).getTime()).toISOString();
}

/** The business's calendar day of `at` (YYYY-MM-DD), for grouping by day. */
export const zonedDay = (at: Date | string, timeZone: string): string => zonedInputs(at, timeZone).date;

/** A day's heading: Today, Tomorrow, or "Friday, Dec 4". */
export function dayHeading(day: string, timeZone: string, now = new Date()): string {
  const today = zonedDay(now, timeZone);
  if (day === today) return 'Today';
  if (day === zonedDay(new Date(now.getTime() + 86_400_000), timeZone)) return 'Tomorrow';
  const noon = instantFromInputs(day, '12:00', timeZone);
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    month: 'short',
    day: 'numeric',
  }).format(new Date(noon));
}

/** The time of day of `at` there, like "9:30 AM". */
export const zonedTime = (at: Date | string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(at));
