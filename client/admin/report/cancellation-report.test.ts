// Reports › Cancellations: the notice buckets at their edges, the counts, the fees per
// currency, the common words in any script, the date range on the business's calendar, and
// the CSV as a spreadsheet will read it (quotes, commas, line breaks, formulas).
import { describe, expect, it } from 'vitest';
import { cancellationCsv } from './cancellation-csv.ts';
import {
  type CancellationRow,
  calendarDateInWords,
  commonWords,
  csvFileName,
  lastDays,
  noticeBucket,
  rangeInstants,
  shiftDate,
  summarize,
} from './cancellation-report.ts';

const START = '2026-05-10T15:00:00.000Z';
const hoursBefore = (hours: number) => new Date(Date.parse(START) - hours * 3_600_000).toISOString();

const row = (over: Partial<CancellationRow> = {}): CancellationRow => ({
  id: 'b1',
  cancelled_at: hoursBefore(48),
  starts_at: START,
  cancel_channel: 'portal',
  cancelled_by_role: 'customer',
  cancel_comment: null,
  cancel_fee_name: null,
  cancel_fee_minor: null,
  cancel_fee_tax_minor: null,
  currency: 'USD',
  service_name: 'Deep cleaning',
  fieldworker_name: 'Sam Taylor',
  ...over,
});

describe('notice: how long before the start', () => {
  it.each([
    [-3, 'under_2h'], // after the start
    [0, 'under_2h'],
    [1.99, 'under_2h'],
    [2, '2_to_24h'],
    [23.99, '2_to_24h'],
    [24, '1_to_7d'],
    [7 * 24, '1_to_7d'],
    [7 * 24 + 0.01, 'over_7d'],
    [400, 'over_7d'],
  ])('%s hours before is %s', (hours, bucket) => {
    expect(noticeBucket(START, hoursBefore(hours))).toBe(bucket);
  });

  it('takes Dates as the replica gives them, and ISO text', () => {
    expect(noticeBucket(new Date(START), new Date(hoursBefore(3)))).toBe('2_to_24h');
  });
});

describe('summarize', () => {
  const rows = [
    row({ id: 'a', cancel_channel: 'portal', cancelled_at: hoursBefore(1) }),
    row({
      id: 'b',
      cancel_channel: 'email_link',
      cancelled_at: hoursBefore(10),
      service_name: 'Window washing',
    }),
    row({
      id: 'c',
      cancel_channel: 'admin_app',
      cancelled_by_role: 'admin',
      cancel_fee_name: 'Late cancellation',
      cancel_fee_minor: 2500,
      cancel_fee_tax_minor: 200,
      fieldworker_name: null,
    }),
    row({
      id: 'd',
      cancel_channel: 'admin_app',
      cancel_fee_name: 'Waived',
      cancel_fee_minor: 0,
      cancel_fee_tax_minor: 0,
    }),
    row({
      id: 'e',
      cancel_channel: 'sql',
      cancelled_at: hoursBefore(500),
      cancel_fee_minor: 1000,
      cancel_fee_tax_minor: 0,
    }),
    row({ id: 'f', cancel_channel: null, currency: 'EUR', cancel_fee_minor: 900, cancel_fee_tax_minor: 171 }),
  ];
  const s = summarize(rows);

  it('counts every cancellation once in each table', () => {
    expect(s.total).toBe(6);
    for (const table of [s.byChannel, s.byNotice, s.byService, s.byFieldworker])
      expect(table.reduce((n, c) => n + c.count, 0)).toBe(6);
  });

  it('lists the four channels people use, zeros too, then the others', () => {
    expect(s.byChannel).toEqual([
      { label: 'Customer portal', count: 1 },
      { label: 'Email link', count: 1 },
      { label: 'Admin app', count: 2 },
      { label: 'Fieldworker app', count: 0 },
      { label: 'Database (SQL)', count: 1 },
      { label: 'Not recorded', count: 1 },
    ]);
  });

  it('lists the four notice buckets in order, and services and fieldworkers most first', () => {
    expect(s.byNotice.map((c) => c.count)).toEqual([1, 1, 3, 1]);
    expect(s.byService).toEqual([
      { label: 'Deep cleaning', count: 5 },
      { label: 'Window washing', count: 1 },
    ]);
    expect(s.byFieldworker).toEqual([
      { label: 'Sam Taylor', count: 5 },
      { label: 'Not assigned', count: 1 },
    ]);
  });

  it('sums the fees charged, and their tax, per currency; a fee of nothing is not a charge', () => {
    expect(s.fees).toEqual([
      { currency: 'EUR', charged: 1, feeMinor: 900, taxMinor: 171 },
      { currency: 'USD', charged: 2, feeMinor: 3500, taxMinor: 200 },
    ]);
  });

  it('has empty tables for no rows', () => {
    expect(summarize([])).toMatchObject({ total: 0, byService: [], fees: [], commonWords: [] });
  });
});

describe('common words in the comments', () => {
  it('lowercases, drops stop words and short words, and counts comments rather than repeats', () => {
    expect(
      commonWords([
        'Moving house, moving HOUSE!',
        'We are moving to Denver.',
        'The customer is ill',
        null,
        '',
      ]),
    ).toEqual([
      { word: 'moving', comments: 2 },
      { word: 'customer', comments: 1 },
      { word: 'denver', comments: 1 },
      { word: 'house', comments: 1 },
      { word: 'ill', comments: 1 },
    ]);
  });

  it('splits on anything not a letter, in any script, and keeps accented letters in their word', () => {
    expect(commonWords(['Café fermé—déménagement', 'Кухня: протечка', 'e\u0301te\u0301 café'])).toEqual([
      { word: 'café', comments: 2 },
      { word: 'déménagement', comments: 1 },
      { word: 'été', comments: 1 }, // alphabetical as a person reads it: é sorts with e
      { word: 'fermé', comments: 1 },
      { word: 'кухня', comments: 1 },
      { word: 'протечка', comments: 1 },
    ]);
  });

  it("reads don't as one word (a stop word), and numbers are not words", () => {
    expect(commonWords(["Don't need it, fixed 2 pipes"])).toEqual([
      { word: 'fixed', comments: 1 },
      { word: 'need', comments: 1 },
      { word: 'pipes', comments: 1 },
    ]);
  });

  it('keeps the ten most common, ties in alphabetical order', () => {
    const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima';
    const top = commonWords([words, 'lima kilo']);
    expect(top).toHaveLength(10);
    expect(top.slice(0, 3)).toEqual([
      { word: 'kilo', comments: 2 },
      { word: 'lima', comments: 2 },
      { word: 'alpha', comments: 1 },
    ]);
  });
});

describe('the date range, on the business calendar', () => {
  it('defaults to the last 30 days, today included, as the zone counts days', () => {
    // 03:30 UTC on May 1 is still April 30 in Chicago.
    expect(lastDays(new Date('2026-05-01T03:30:00Z'), 'America/Chicago')).toEqual({
      from: '2026-04-01',
      to: '2026-04-30',
    });
    expect(lastDays(new Date('2026-03-01T12:00:00Z'), 'UTC', 1)).toEqual({
      from: '2026-03-01',
      to: '2026-03-01',
    });
  });

  it('moves dates across months and years', () => {
    expect(shiftDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDate('2025-12-31', 1)).toBe('2026-01-01');
  });

  it('covers both days whole, across a clock change', () => {
    expect(rangeInstants('2026-03-07', '2026-03-08', 'America/New_York')).toEqual({
      from: '2026-03-07T05:00:00.000Z',
      before: '2026-03-09T04:00:00.000Z',
    });
  });

  it('says a date as a date, whatever zone the browser is in', () => {
    expect(calendarDateInWords('2026-05-03')).toBe('May 3, 2026');
    expect(csvFileName('2026-04-01', '2026-04-30')).toBe('cancellations-2026-04-01-to-2026-04-30');
  });
});

describe('the CSV', () => {
  const csv = (rows: CancellationRow[]) =>
    cancellationCsv({ rows, timeZone: 'America/Chicago', from: '2026-05-01', to: '2026-05-30' });

  it('starts with the byte-order mark and the header, times named by zone', () => {
    expect(csv([])).toBe(
      '\uFEFF"Canceled at (America/Chicago)","Starts at (America/Chicago)","Notice (hours)","Notice","Channel",' +
        '"Canceled by","Service","Fieldworker","Fee","Fee amount","Fee tax","Currency","Comment","Booking id"\r\n',
    );
  });

  it('writes one row per cancellation on the business clock, amounts as decimals, nothing as empty', () => {
    const lines = csv([
      row({
        id: 'b1',
        cancelled_at: '2026-05-10T13:30:00.000Z',
        cancel_channel: 'admin_app',
        cancelled_by_role: 'admin',
        cancel_fee_name: 'Late cancellation',
        cancel_fee_minor: 2500,
        cancel_fee_tax_minor: 200,
      }),
      row({ id: 'b2', fieldworker_name: null, cancelled_at: '2026-05-10T16:00:00.000Z' }),
    ]).split('\r\n');
    expect(lines[1]).toBe(
      '"2026-05-10 08:30","2026-05-10 10:00",1.5,"Under 2 hours (or after the start)","Admin app","admin",' +
        '"Deep cleaning","Sam Taylor","Late cancellation","25.00","2.00","USD","","b1"',
    );
    // After the start: negative notice, a number, not a formula.
    expect(lines[2]).toBe(
      '"2026-05-10 11:00","2026-05-10 10:00",-1,"Under 2 hours (or after the start)","Customer portal","customer",' +
        '"Deep cleaning","Not assigned","","","","USD","","b2"',
    );
    expect(lines[3]).toBe('');
  });

  it('keeps quotes, commas and line breaks in their cell, and defuses formulas', () => {
    const comment = (text: string) => {
      const line = csv([row({ cancel_comment: text })]).split('\r\n')[1] as string;
      return line.slice(line.indexOf(',"USD",') + 7, line.lastIndexOf(',"b1"'));
    };
    expect(comment('He said "no", twice')).toBe('"He said ""no"", twice"');
    expect(comment('line one\nline two')).toBe('"line one\nline two"');
    expect(comment('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
    for (const start of ['+', '-', '@']) expect(comment(`${start}1`)).toBe(`"'${start}1"`);
    expect(comment('fine = ok')).toBe('"fine = ok"');
  });
});
