// Times are stored in UTC and shown in the business's time zone, on both sides.

// Building an Intl.DateTimeFormat costs far more than formatting with one (about 0.25 ms
// against microseconds), and every email and list row formats a time: keep one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(at: Date | string, timeZone: string, locale = 'en-US'): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formats.set(key, format);
  }
  return format.format(new Date(at));
}
