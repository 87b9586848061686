import { describe, expect, it } from 'vitest';
import {
  CalendarDate,
  CONTROL_CHARACTERS,
  Instant,
  isInvisible,
  LINE_BREAK,
  TimeOfDay,
  typedText,
} from './input-rules.ts';

/** The parsed value, or the first issue's message prefixed with `!`. */
function outcome(schema: { safeParse(v: unknown): { success: boolean; data?: unknown; error?: unknown } }) {
  return (value: unknown) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues = (result.error as { issues: { message: string }[] }).issues;
    return `!${issues[0]?.message}`;
  };
}

describe('typedText', () => {
  const line = outcome(typedText().trim().min(1, 'Enter something.').max(20, 'Too long.'));
  const lines = outcome(typedText({ lines: 'many' }).trim().max(20, 'Too long.'));

  it.each([
    ['plain text', 'Hello', 'Hello'],
    ['trimmed', '  Hello  ', 'Hello'],
    ['a tab inside', 'a\tb', 'a\tb'],
    ['accents and emoji', 'Café ❤️ 👩‍🔧', 'Café ❤️ 👩‍🔧'],
    ['right-to-left script', 'שלום', 'שלום'],
    ['NUL', 'a\u0000b', `!${CONTROL_CHARACTERS}`],
    ['escape', 'a\u001bb', `!${CONTROL_CHARACTERS}`],
    ['DEL', 'a\u007fb', `!${CONTROL_CHARACTERS}`],
    ['a C1 control', 'a\u0085b', `!${CONTROL_CHARACTERS}`],
    ['a lone surrogate', 'a\ud800b', `!${CONTROL_CHARACTERS}`],
    ['a line break', 'a\nb', `!${LINE_BREAK}`],
    ['a carriage return', 'a\rb', `!${LINE_BREAK}`],
    ['only spaces', '   ', '!Enter something.'],
    [
      'only zero-width and bidi controls',
      '\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff',
      '!Enter something.',
    ],
    ['a soft hyphen and a Hangul filler', '\u00ad\u3164', '!Enter something.'],
    ['a no-break space and a braille blank', '\u00a0\u2800', '!Enter something.'],
    ['too long after trimming', `  ${'x'.repeat(21)}  `, '!Too long.'],
    [
      'a control character is reported before the length',
      `${'x'.repeat(30)}\u0000`,
      `!${CONTROL_CHARACTERS}`,
    ],
    ['not a string', 5, '!Invalid input: expected string, received number'],
  ])('one line: %s', (_label, input, expected) => {
    expect(line(input)).toBe(expected);
  });

  it.each([
    ['line breaks', 'one\r\ntwo\nthree', 'one\r\ntwo\nthree'],
    ['NUL', 'one\n\u0000', `!${CONTROL_CHARACTERS}`],
    ['invisible lines', '\u200b\n\u200e\n', ''],
    ['visible text with a zero-width joiner kept', 'a\u200db', 'a\u200db'],
  ])('many lines: %s', (_label, input, expected) => {
    expect(lines(input)).toBe(expected);
  });

  it('counts invisible-only text as invisible, and anything visible as not', () => {
    expect(isInvisible('')).toBe(true);
    expect(isInvisible('\u200b \u2060')).toBe(true);
    expect(isInvisible('\u200b.')).toBe(false);
  });
});

describe('CalendarDate', () => {
  const parse = outcome(CalendarDate);
  const MISSING = '!Choose a date.';
  const NO_SUCH = '!Choose a date that exists, written like 2027-02-28.';
  it.each([
    ['2027-02-28', '2027-02-28'],
    ['2028-02-29', '2028-02-29'], // leap year
    ['2000-02-29', '2000-02-29'], // divisible by 400
    ['2027-12-31', '2027-12-31'],
    ['2027-02-29', NO_SUCH],
    ['2027-02-31', NO_SUCH],
    ['2027-04-31', NO_SUCH],
    ['2027-13-01', NO_SUCH],
    ['2027-00-10', NO_SUCH],
    ['2027-01-00', NO_SUCH],
    ['2027-1-5', NO_SUCH],
    ['27-01-05', NO_SUCH],
    ['2027-01-05T00:00', NO_SUCH],
    ['1999-12-31', '!Choose a date between 2000 and 2099.'],
    ['2100-01-01', '!Choose a date between 2000 and 2099.'],
    ['0000-01-01', '!Choose a date between 2000 and 2099.'],
    ['', MISSING],
    [null, MISSING],
  ])('%s', (input, expected) => {
    expect(parse(input)).toBe(expected);
  });
});

describe('TimeOfDay', () => {
  const parse = outcome(TimeOfDay);
  const BAD = '!Choose a time between 00:00 and 23:59.';
  it.each([
    ['00:00', '00:00'],
    ['09:30', '09:30'],
    ['23:59', '23:59'],
    ['24:00', BAD],
    ['23:60', BAD],
    ['9:30', BAD],
    ['09:30:00', BAD],
    ['0930', BAD],
    ['', '!Choose a time.'],
    [undefined, '!Choose a time.'],
  ])('%s', (input, expected) => {
    expect(parse(input)).toBe(expected);
  });
});

describe('Instant', () => {
  const parse = (value: unknown) => {
    const result = outcome(Instant)(value);
    return result instanceof Date ? result.toISOString() : result;
  };
  const FORMAT = '!Send a date and time like 2026-05-01T09:00:00Z.';
  const RANGE = '!Choose a date between 2000 and 2099.';
  it.each([
    ['2026-05-01T09:00:00Z', '2026-05-01T09:00:00.000Z'],
    ['2026-05-01T09:00:00.123Z', '2026-05-01T09:00:00.123Z'],
    ['2026-05-01T09:00:00+02:00', '2026-05-01T07:00:00.000Z'],
    [new Date('2026-05-01T09:00:00Z'), '2026-05-01T09:00:00.000Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
    ['2099-12-31T23:59:59.999Z', '2099-12-31T23:59:59.999Z'],
    ['1999-12-31T23:59:59Z', RANGE],
    ['2100-01-01T00:00:00Z', RANGE],
    ['9999-12-31T00:00:00Z', RANGE],
    [new Date('1970-01-01T00:00:00Z'), RANGE],
    ['2026-02-31T09:00:00Z', FORMAT],
    ['2026-05-01T24:00:00Z', FORMAT],
    ['2026-05-01', FORMAT],
    ['2026-05-01T09:00:00', FORMAT], // no offset: which zone?
    ['-099999-01-01T00:00:00Z', FORMAT],
    ['+275760-09-13T00:00:00Z', FORMAT],
    [8.64e15, FORMAT],
    [0, FORMAT],
    [new Date(Number.NaN), FORMAT],
    ['yesterday', FORMAT],
  ])('%s', (input, expected) => {
    expect(parse(input)).toBe(expected);
  });
});
