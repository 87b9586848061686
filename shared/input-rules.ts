// The building blocks of every input schema for values that arrive as raw strings: text a
// person typed, a calendar date, a time of day, an instant. Each refuses, with a sentence for
// the person, what Postgres cannot store (a NUL byte, year -99999) and what it would quietly
// store as something else (31 February, 24:00, month 13), so neither becomes a 500 or a
// booking on another day.
import { z } from 'zod';

/** The years the product makes sense of: bookings, their filters and the times devices report. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;
const EARLIEST = Date.UTC(FIRST_YEAR, 0, 1);
const AFTER_LATEST = Date.UTC(LAST_YEAR + 1, 0, 1);
const OUT_OF_RANGE = `Choose a date between ${FIRST_YEAR} and ${LAST_YEAR}.`;

export const CONTROL_CHARACTERS = 'Remove the invisible control characters (such as NUL) from this text.';
export const LINE_BREAK = 'Keep this to one line.';

/**
 * A control character: C0 (tab allowed; line breaks where the text may have several
 * lines), DEL and C1, or half of a surrogate pair (not a character at all: it would reach
 * Postgres as U+FFFD). Postgres refuses NUL outright; the rest are never typed by a person.
 */
function firstControl(text: string, lines: 'one' | 'many'): 'line-break' | 'control' | null {
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    if (code === 0x09) continue;
    if (code === 0x0a || code === 0x0d) {
      if (lines === 'one') return 'line-break';
      continue;
    }
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff)) return 'control';
  }
  return null;
}

/**
 * Characters that show nothing: white space, Unicode's default-ignorable code points (zero-width
 * space and joiners, bidi controls, soft hyphen, variation selectors, Hangul fillers, tags) and
 * the braille blank. A text made only of these says nothing, so it counts as empty.
 */
const ONLY_INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

export function isInvisible(text: string): boolean {
  return ONLY_INVISIBLE.test(text);
}

/**
 * Text a person typed: control characters are refused, and text that shows nothing becomes
 * `''`, so `.min(1, …)` and "comment required" see it as empty. Chain `.trim()`, `.min()`
 * and `.max()` as for any string.
 */
export function typedText(options: { readonly lines?: 'one' | 'many' } = {}) {
  const lines = options.lines ?? 'one';
  return z
    .string()
    .check((ctx) => {
      const found = firstControl(ctx.value, lines);
      if (found) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: found === 'line-break' ? LINE_BREAK : CONTROL_CHARACTERS,
          abort: true,
        });
      }
    })
    .overwrite((text) => (isInvisible(text) ? '' : text));
}

/** A calendar date that exists, `YYYY-MM-DD` (leap years included), in the product's years. */
export const CalendarDate = z
  .string({ message: 'Choose a date.' })
  .min(1, { message: 'Choose a date.', abort: true })
  .pipe(z.iso.date({ message: 'Choose a date that exists, written like 2027-02-28.' }))
  .refine((date) => {
    const year = Number(date.slice(0, 4));
    return year >= FIRST_YEAR && year <= LAST_YEAR;
  }, OUT_OF_RANGE);

/** A time of day, `HH:MM`, from 00:00 to 23:59 (24:00 would be the next day). */
export const TimeOfDay = z
  .string({ message: 'Choose a time.' })
  .min(1, { message: 'Choose a time.', abort: true })
  .pipe(z.iso.time({ precision: -1, message: 'Choose a time between 00:00 and 23:59.' }));

/**
 * An instant: an ISO 8601 date and time with its offset (`2026-05-01T09:00:00Z`, what a
 * `Date` becomes in JSON), or a valid `Date` from a caller in this process. Numbers are
 * refused: "8640000000000000" is no time anyone meant.
 */
export const Instant = z
  .preprocess(
    (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value),
    z.iso.datetime({ offset: true, message: 'Send a date and time like 2026-05-01T09:00:00Z.' }),
  )
  .transform((text) => new Date(text))
  .refine((date) => date.getTime() >= EARLIEST && date.getTime() < AFTER_LATEST, OUT_OF_RANGE);
