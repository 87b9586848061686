// Tests for cancellation fee math and money display: exact cases, rounding ties, the cap, bad input,
// and properties that must hold for every price and rule.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeeRule } from './fees.ts';
import { describeCharge, describeFeeRule, formatMoney, minorUnitDigits, quoteFee } from './fees.ts';

const NBSP = '\u00a0';

const flat = (amountMinor: number, taxRateBp = 0): FeeRule => ({ kind: 'flat', amountMinor, taxRateBp });
const percent = (percentBp: number, taxRateBp = 0): FeeRule => ({ kind: 'percent', percentBp, taxRateBp });

describe('quoteFee', () => {
  it.each([
    { name: 'flat fee, no tax', rule: flat(2500), price: 10_000, fee: 2500, tax: 0 },
    { name: 'flat fee with 20% tax', rule: flat(2500, 2000), price: 10_000, fee: 2500, tax: 500 },
    { name: 'percent fee, no tax', rule: percent(5000), price: 8000, fee: 4000, tax: 0 },
    { name: 'percent fee with 10% tax', rule: percent(2500, 1000), price: 12_000, fee: 3000, tax: 300 },
    { name: '100% of the price', rule: percent(10_000), price: 4321, fee: 4321, tax: 0 },
    { name: '0% of the price', rule: percent(0, 2000), price: 4321, fee: 0, tax: 0 },
    { name: 'free booking, flat fee', rule: flat(2500, 2000), price: 0, fee: 0, tax: 0 },
    { name: 'zero flat fee', rule: flat(0, 2000), price: 5000, fee: 0, tax: 0 },
    { name: 'basis-point rates', rule: percent(1250, 825), price: 10_000, fee: 1250, tax: 103 },
  ])('$name', ({ rule, price, fee, tax }) => {
    expect(quoteFee(rule, price, 'USD')).toEqual({
      feeMinor: fee,
      taxMinor: tax,
      totalMinor: fee + tax,
      currency: 'USD',
    });
  });

  // Half away from zero: .5 goes up, just under .5 goes down; 102.5 → 103 tells it from banker's rounding.
  it.each([
    { name: 'percent 100.5 → 101', rule: percent(1000), price: 1005, fee: 101, tax: 0 },
    { name: 'percent 100.4 → 100', rule: percent(1000), price: 1004, fee: 100, tax: 0 },
    { name: 'percent 100.6 → 101', rule: percent(1000), price: 1006, fee: 101, tax: 0 },
    { name: 'percent 102.5 → 103, not to even', rule: percent(1000), price: 1025, fee: 103, tax: 0 },
    { name: 'percent 0.3333 → 0', rule: percent(3333), price: 1, fee: 0, tax: 0 },
    { name: 'tax 0.5 → 1', rule: flat(1, 5000), price: 100, fee: 1, tax: 1 },
    { name: 'tax 0.4999 → 0', rule: flat(1, 4999), price: 100, fee: 1, tax: 0 },
    { name: 'tax 2.5 → 3, not to even', rule: flat(5, 5000), price: 100, fee: 5, tax: 3 },
    { name: 'tax 1.5 → 2', rule: flat(3, 5000), price: 100, fee: 3, tax: 2 },
    {
      name: 'both round: 100.5 → 101, tax 20.2 → 20',
      rule: percent(1000, 2000),
      price: 1005,
      fee: 101,
      tax: 20,
    },
  ])('rounds $name', ({ rule, price, fee, tax }) => {
    const quote = quoteFee(rule, price, 'USD');
    expect([quote.feeMinor, quote.taxMinor, quote.totalMinor]).toEqual([fee, tax, fee + tax]);
  });

  it('rounds exactly where a float product would not be exact', () => {
    // 9007199254740991 × 5000 / 10000 = 4503599627370495.5 → ...496; a float product loses the .5.
    expect(quoteFee(percent(5000), Number.MAX_SAFE_INTEGER, 'USD').feeMinor).toBe(4_503_599_627_370_496);
  });

  it.each([
    { currency: 'JPY', rule: percent(1000, 1000), price: 12_345, fee: 1235, tax: 124 },
    { currency: 'KWD', rule: percent(1000, 500), price: 12_345, fee: 1235, tax: 62 },
    { currency: 'KWD', rule: flat(2500, 1500), price: 100_000, fee: 2500, tax: 375 },
  ])('works in minor units of $currency whatever their size', ({ currency, rule, price, fee, tax }) => {
    expect(quoteFee(rule, price, currency)).toEqual({
      feeMinor: fee,
      taxMinor: tax,
      totalMinor: fee + tax,
      currency,
    });
  });

  it('caps a flat fee at the booking price and taxes the capped fee', () => {
    expect(quoteFee(flat(5000, 2000), 3000, 'USD')).toEqual({
      feeMinor: 3000,
      taxMinor: 600,
      totalMinor: 3600,
      currency: 'USD',
    });
  });

  it('does not cap a flat fee equal to the price', () => {
    expect(quoteFee(flat(3000), 3000, 'USD').feeMinor).toBe(3000);
    expect(quoteFee(flat(3000), 2999, 'USD').feeMinor).toBe(2999);
  });

  it.each([
    { name: 'negative price', rule: flat(100), price: -1, currency: 'USD' },
    { name: 'fractional price', rule: flat(100), price: 12.5, currency: 'USD' },
    { name: 'NaN price', rule: flat(100), price: Number.NaN, currency: 'USD' },
    { name: 'infinite price', rule: flat(100), price: Number.POSITIVE_INFINITY, currency: 'USD' },
    { name: 'unsafe price', rule: flat(100), price: Number.MAX_SAFE_INTEGER + 1, currency: 'USD' },
    { name: 'negative flat fee', rule: flat(-1), price: 1000, currency: 'USD' },
    { name: 'fractional flat fee', rule: flat(0.5), price: 1000, currency: 'USD' },
    { name: 'percent over 100 %', rule: percent(10_001), price: 1000, currency: 'USD' },
    { name: 'negative percent', rule: percent(-1), price: 1000, currency: 'USD' },
    { name: 'fractional percent', rule: percent(12.5), price: 1000, currency: 'USD' },
    { name: 'negative tax', rule: flat(100, -1), price: 1000, currency: 'USD' },
    { name: 'fractional tax', rule: flat(100, 0.5), price: 1000, currency: 'USD' },
    { name: 'tax over 100 %', rule: percent(1000, 10_001), price: 1000, currency: 'USD' },
    { name: 'lower-case currency', rule: flat(100), price: 1000, currency: 'usd' },
    { name: 'not a currency code', rule: flat(100), price: 1000, currency: 'dollars' },
    {
      name: 'unknown rule kind',
      rule: { kind: 'tiered' } as unknown as FeeRule,
      price: 1000,
      currency: 'USD',
    },
  ])('throws RangeError on $name', ({ rule, price, currency }) => {
    expect(() => quoteFee(rule, price, currency)).toThrow(RangeError);
  });

  it('throws RangeError when the total passes the safe integer range', () => {
    expect(() => quoteFee(percent(10_000, 10_000), Number.MAX_SAFE_INTEGER, 'USD')).toThrow(RangeError);
  });

  it('names the bad value in the error', () => {
    expect(() => quoteFee(percent(12_000), 1000, 'USD')).toThrow(/percentBp.*12000/);
  });
});

describe('quoteFee properties', () => {
  const priceArb = fc.integer({ min: 0, max: 10_000_000_000 });
  const bpArb = fc.integer({ min: 0, max: 10_000 });
  const ruleArb: fc.Arbitrary<FeeRule> = fc.oneof(
    fc.record({ kind: fc.constant('flat' as const), amountMinor: priceArb, taxRateBp: bpArb }),
    fc.record({ kind: fc.constant('percent' as const), percentBp: bpArb, taxRateBp: bpArb }),
  );

  it('fee + tax = total, all non-negative integers', () => {
    fc.assert(
      fc.property(ruleArb, priceArb, (rule, price) => {
        const { feeMinor, taxMinor, totalMinor } = quoteFee(rule, price, 'USD');
        expect(feeMinor + taxMinor).toBe(totalMinor);
        for (const v of [feeMinor, taxMinor, totalMinor]) {
          expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
      }),
    );
  });

  it('the fee never exceeds the price, and a flat fee is min(amount, price)', () => {
    fc.assert(
      fc.property(ruleArb, priceArb, (rule, price) => {
        const { feeMinor } = quoteFee(rule, price, 'USD');
        expect(feeMinor).toBeLessThanOrEqual(price);
        if (rule.kind === 'flat') expect(feeMinor).toBe(Math.min(rule.amountMinor, price));
      }),
    );
  });

  // Checked against the exact product in BigInt: within half a minor unit, and a tie goes up.
  it('rounds percent fees and tax to the nearest minor unit, ties away from zero', () => {
    const nearest = (result: number, a: number, bp: number) => {
      const diff = BigInt(result) * 10_000n - BigInt(a) * BigInt(bp);
      expect(2n * (diff < 0n ? -diff : diff) <= 10_000n).toBe(true);
      if (2n * diff === -10_000n) throw new Error(`tie rounded down: ${a} × ${bp}`);
    };
    fc.assert(
      fc.property(bpArb, bpArb, priceArb, (percentBp, taxRateBp, price) => {
        const { feeMinor, taxMinor } = quoteFee({ kind: 'percent', percentBp, taxRateBp }, price, 'USD');
        nearest(feeMinor, price, percentBp);
        nearest(taxMinor, feeMinor, taxRateBp);
      }),
    );
  });

  it('tax never exceeds the fee', () => {
    fc.assert(
      fc.property(ruleArb, priceArb, (rule, price) => {
        const { feeMinor, taxMinor } = quoteFee(rule, price, 'USD');
        expect(taxMinor).toBeLessThanOrEqual(feeMinor);
      }),
    );
  });
});

describe('minorUnitDigits', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i digits', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it.each(['usd', 'US', ''])('throws RangeError on %j', (currency) => {
    expect(() => minorUnitDigits(currency)).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it.each([
    { minor: 1250, currency: 'USD', locale: undefined, text: '$12.50' },
    { minor: 5, currency: 'USD', locale: undefined, text: '$0.05' },
    { minor: 0, currency: 'USD', locale: undefined, text: '$0.00' },
    { minor: -1250, currency: 'USD', locale: undefined, text: '-$12.50' },
    { minor: 1250, currency: 'JPY', locale: undefined, text: '¥1,250' },
    { minor: 12_345, currency: 'KWD', locale: undefined, text: `KWD${NBSP}12.345` },
    { minor: 5, currency: 'KWD', locale: undefined, text: `KWD${NBSP}0.005` },
    { minor: 123_456_789, currency: 'EUR', locale: 'de-DE', text: `1.234.567,89${NBSP}€` },
    // Exact to the last cent: the amount never becomes a float.
    { minor: Number.MAX_SAFE_INTEGER, currency: 'USD', locale: undefined, text: '$90,071,992,547,409.91' },
  ])('formats $minor $currency as $text', ({ minor, currency, locale, text }) => {
    expect(formatMoney(minor, currency, locale)).toBe(text);
  });

  it.each([12.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('throws RangeError on %d minor units', (minor) => {
    expect(() => formatMoney(minor, 'USD')).toThrow(RangeError);
  });
});

describe('describeFeeRule', () => {
  it.each([
    { rule: flat(2500, 2000), currency: 'USD', text: '$25.00 + 20% tax' },
    { rule: flat(2500), currency: 'USD', text: '$25.00' },
    { rule: percent(5000, 1000), currency: 'USD', text: '50% of the price + 10% tax' },
    { rule: percent(5000), currency: 'USD', text: '50% of the price' },
    { rule: percent(1250, 825), currency: 'USD', text: '12.5% of the price + 8.25% tax' },
    { rule: percent(1, 0), currency: 'USD', text: '0.01% of the price' },
    { rule: flat(1000, 1000), currency: 'JPY', text: '¥1,000 + 10% tax' },
  ])('describes $rule.kind in $currency as $text', ({ rule, currency, text }) => {
    expect(describeFeeRule(rule, currency)).toBe(text);
  });

  it('formats numbers for the given locale', () => {
    expect(describeFeeRule(percent(1250, 825), 'EUR', 'de-DE')).toBe(
      `12,5${NBSP}% of the price + 8,25${NBSP}% tax`,
    );
  });

  it('throws RangeError on an invalid rule', () => {
    expect(() => describeFeeRule(percent(20_000), 'USD')).toThrow(RangeError);
  });
});

describe('describeCharge', () => {
  it.each([
    [2500, 200, 'USD', '$25.00 + $2.00 tax = $27.00'],
    [2500, 0, 'USD', '$25.00'],
    [2500, null, 'USD', '$25.00'],
    [null, null, 'USD', ''],
    [0, 0, 'USD', ''],
    [1250, 100, 'JPY', '¥1,250 + ¥100 tax = ¥1,350'],
  ])('fee %s, tax %s %s → %s', (fee, tax, currency, shown) => {
    expect(describeCharge(fee, tax, currency)).toBe(shown);
  });
});
