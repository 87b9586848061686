// The conversions the admin forms rely on: a wall-clock time in the business's zone to the
// instant stored, and back; a typed price to minor units without a float in between.
import { describe, expect, it } from 'vitest';
import { instantFromInputs, zonedInputs } from '../lib/zoned-time.ts';
import {
  bpToInput,
  dayAfterStart,
  failureInWords,
  inputToMinor,
  minorToInput,
  percentToBp,
  startFromInputs,
} from './format.ts';

describe('times on the business clock', () => {
  it.each([
    ['America/Chicago', '2026-05-01', '08:05', '2026-05-01T13:05:00.000Z'],
    ['Europe/Berlin', '2026-01-15', '23:30', '2026-01-15T22:30:00.000Z'],
    ['Asia/Kolkata', '2026-07-01', '00:00', '2026-06-30T18:30:00.000Z'],
  ])('%s %s %s is %s, and reads back the same', (zone, date, time, instant) => {
    expect(instantFromInputs(date, time, zone)).toBe(instant);
    expect(zonedInputs(instant, zone)).toEqual({ date, time });
  });

  it('a date range ends at the start of the next day in the zone, across a clock change', () => {
    expect(dayAfterStart('2026-03-07', 'America/New_York')).toBe('2026-03-08T05:00:00.000Z');
    expect(dayAfterStart('2026-03-08', 'America/New_York')).toBe('2026-03-09T04:00:00.000Z');
    expect(dayAfterStart('2026-12-31', 'Europe/Berlin')).toBe('2026-12-31T23:00:00.000Z');
  });

  it('refuses a date that does not exist or a time past 23:59, naming the field', () => {
    expect(startFromInputs('2026-02-30', '09:00', 'UTC')).toMatchObject({ field: 'date' });
    expect(startFromInputs('', '09:00', 'UTC')).toMatchObject({ field: 'date', message: 'Choose a date.' });
    expect(startFromInputs('2026-02-28', '24:00', 'UTC')).toMatchObject({ field: 'time' });
    expect(startFromInputs('2026-02-28', '09:00', 'UTC')).toEqual({ startsAt: '2026-02-28T09:00:00.000Z' });
  });
});

describe('prices as typed', () => {
  it.each([
    ['0.29', 'USD', 29],
    ['120', 'USD', 12000],
    ['1,200.5', 'USD', 120050],
    [' 7 ', 'KWD', 7000],
    ['1200', 'JPY', 1200],
  ])('%s %s is %d minor units', (text, currency, minor) => {
    expect(inputToMinor(text, currency)).toEqual({ minor });
  });

  it.each([
    ['', 'USD', 'Enter the price.'],
    ['12,5€', 'USD', 'Enter the price as a number, like 120.00.'],
    ['-5', 'USD', 'Enter the price as a number, like 120.00.'],
    ['1.234', 'USD', 'Use at most 2 decimals.'],
    ['12.5', 'JPY', 'JPY has no smaller unit: enter a whole number.'],
    ['99999999999999999999', 'USD', 'That price is too large.'],
  ])('%s %s is refused: %s', (text, currency, error) => {
    expect(inputToMinor(text, currency)).toEqual({ error });
  });

  it('a stored price fills the field in major units, and reads back the same', () => {
    for (const [minor, currency] of [
      [12050, 'USD'],
      [5, 'USD'],
      [0, 'USD'],
      [1200, 'JPY'],
      [1234, 'KWD'],
    ] as const) {
      expect(inputToMinor(minorToInput(minor, currency), currency)).toEqual({ minor });
    }
    expect(minorToInput(12050, 'USD')).toBe('120.50');
  });
});

describe('percentToBp', () => {
  it('reads a typed percent as basis points, exactly', () => {
    expect(percentToBp('12.5', 'rate')).toEqual({ bp: 1250 });
    expect(percentToBp('8.25 %', 'rate')).toEqual({ bp: 825 });
    expect(percentToBp('0', 'rate')).toEqual({ bp: 0 });
    expect(percentToBp('100', 'rate')).toEqual({ bp: 10_000 });
    expect(bpToInput(1250)).toBe('12.5');
  });
  it('refuses what is not a percent, in words', () => {
    expect(percentToBp('', 'tax rate')).toEqual({ error: 'Enter the tax rate in percent, like 8.' });
    expect(percentToBp('8.125', 'tax rate')).toEqual({
      error: 'Enter the tax rate in percent, with at most two decimals, like 8.25.',
    });
    expect(percentToBp('ten', 'tax rate')).toMatchObject({ error: expect.any(String) });
  });
});

describe('failureInWords', () => {
  it('says what a failed email’s error means for the office', () => {
    expect(failureInWords('550 5.1.1 Mailbox unavailable')).toMatch(
      /refused it: the address is probably wrong/,
    );
    expect(failureInWords('connect ECONNREFUSED 127.0.0.1:2525')).toMatch(/could not be reached/);
    expect(failureInWords('No "cancellation" email template, or the business is not set up.')).toMatch(
      /template is missing or broken/,
    );
    expect(failureInWords(null)).toBe('It could not be sent.');
  });
});
