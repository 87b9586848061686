// Cancellation fee math and money display: integer minor units in, integer minor units out.
// Rates are basis points (2000 = 20 %); every rounding is half away from zero, done exactly in BigInt.

export type FeeRule =
  | { kind: 'flat'; amountMinor: number; taxRateBp: number }
  | { kind: 'percent'; percentBp: number; taxRateBp: number };

/** A fee as its columns hold it (the `fees` table, in the server's rows and the replica's). */
export interface FeeColumns {
  readonly kind: string | null;
  readonly amount_minor: number | null;
  readonly percent_bp: number | null;
  readonly tax_rate_bp: number | null;
}

/** The rule a fee's columns state: the one reading of a fee row, on the server and in the apps. */
export function feeRuleOf(fee: FeeColumns): FeeRule {
  const taxRateBp = fee.tax_rate_bp ?? 0;
  return fee.kind === 'flat'
    ? { kind: 'flat', amountMinor: fee.amount_minor ?? 0, taxRateBp }
    : { kind: 'percent', percentBp: fee.percent_bp ?? 0, taxRateBp };
}

export interface FeeQuote {
  feeMinor: number;
  taxMinor: number;
  totalMinor: number;
  currency: string;
}

const BP_PER_WHOLE = 10_000;

/**
 * What cancelling costs for a booking priced `bookingPriceMinor`. The fee is capped at the price: a
 * customer is never charged more for cancelling a job than for having it done (a flat fee configured
 * for big jobs must not turn a small one into a penalty). Tax is computed on the capped fee.
 * Bad numbers are bugs or broken settings, not outcomes, so they throw RangeError.
 */
export function quoteFee(rule: FeeRule, bookingPriceMinor: number, currency: string): FeeQuote {
  assertCurrencyCode(currency);
  assertMinor('bookingPriceMinor', bookingPriceMinor);
  assertRule(rule);
  const uncapped =
    rule.kind === 'flat' ? rule.amountMinor : mulDivRound(bookingPriceMinor, rule.percentBp, BP_PER_WHOLE);
  const feeMinor = Math.min(uncapped, bookingPriceMinor);
  const taxMinor = mulDivRound(feeMinor, rule.taxRateBp, BP_PER_WHOLE);
  const totalMinor = feeMinor + taxMinor;
  // fee ≤ price and tax ≤ fee, so only a price near 2^53 can get here.
  if (!Number.isSafeInteger(totalMinor)) {
    throw new RangeError(`fee total ${feeMinor} + ${taxMinor} is beyond the safe integer range`);
  }
  return { feeMinor, taxMinor, totalMinor, currency };
}

// N.b. a cache, not state: the answer for a currency code never changes within a process.
const digitsByCurrency = new Map<string, number>();

/** How many decimals one major unit has in minor units: USD 2, JPY 0, KWD 3 (from the runtime's ICU data). */
export function minorUnitDigits(currency: string): number {
  const cached = digitsByCurrency.get(currency);
  if (cached !== undefined) return cached;
  assertCurrencyCode(currency);
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  if (digits === undefined) throw new RangeError(`no minor unit digits known for currency ${currency}`);
  digitsByCurrency.set(currency, digits);
  return digits;
}

/** '$12.50' for (1250, 'USD'), '¥1,250' for (1250, 'JPY'). Negative amounts (refunds) get a minus sign. */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`money must be an integer of minor units, got ${minor}`);
  }
  // The currency style's default decimals come from the same ICU data as minorUnitDigits.
  const text = exactDecimal(minor, minorUnitDigits(currency));
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(text);
}

/** '$25.00 + 20% tax' or '50% of the price + 10% tax'; the tax part is left out when the rate is 0. */
export function describeFeeRule(rule: FeeRule, currency: string, locale = 'en-US'): string {
  assertRule(rule);
  const base =
    rule.kind === 'flat'
      ? formatMoney(rule.amountMinor, currency, locale)
      : `${formatBasisPoints(rule.percentBp, locale)} of the price`;
  return rule.taxRateBp === 0 ? base : `${base} + ${formatBasisPoints(rule.taxRateBp, locale)} tax`;
}

/** round(a × b / d), half away from zero. BigInt because a price × 10000 can pass 2^53. */
function mulDivRound(a: number, b: number, d: number): number {
  const n = BigInt(a) * BigInt(b);
  const divisor = BigInt(d);
  const quotient = n / divisor; // BigInt division truncates toward zero
  const remainder = n % divisor;
  const magnitude = remainder < 0n ? -remainder : remainder;
  const rounded = 2n * magnitude >= divisor ? quotient + (n < 0n ? -1n : 1n) : quotient;
  return Number(rounded);
}

// Intl formats a decimal string exactly, so 1250 minor units never pass through 12.5 as a float.
function exactDecimal(minor: number, digits: number): `${number}` {
  const sign = minor < 0 ? '-' : '';
  const padded = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
  return `${sign}${text}` as `${number}`;
}

function formatBasisPoints(bp: number, locale: string): string {
  // 2000 bp → '20%', 1250 → '12.5%', 825 → '8.25%': a basis point is the finest a rate can be.
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    exactDecimal(bp, 4),
  );
}

function assertRule(rule: FeeRule): void {
  switch (rule.kind) {
    case 'flat':
      assertMinor('amountMinor', rule.amountMinor);
      break;
    case 'percent':
      assertBasisPoints('percentBp', rule.percentBp);
      break;
    default: {
      // Rules come from stored settings: an unknown kind is broken data, say which.
      const unknown: never = rule;
      throw new RangeError(`unknown fee rule kind in ${JSON.stringify(unknown)}`);
    }
  }
  assertBasisPoints('taxRateBp', rule.taxRateBp);
}

function assertMinor(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer of minor units, got ${value}`);
  }
}

// Tax is held to 100 % as well: a rate above that is far more likely 20000 typed for 2000 than real.
function assertBasisPoints(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > BP_PER_WHOLE) {
    throw new RangeError(`${name} must be an integer from 0 to ${BP_PER_WHOLE} basis points, got ${value}`);
  }
}

function assertCurrencyCode(currency: string): void {
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new RangeError(`currency must be an upper-case ISO 4217 code, got ${JSON.stringify(currency)}`);
  }
}

/** What a fee costs, as emails and the portal show it: "$25.00 + $2.00 tax = $27.00", or "$25.00" without tax, or "" without a fee. */
export function describeCharge(feeMinor: number | null, taxMinor: number | null, currency: string): string {
  if (!feeMinor) return '';
  const tax = taxMinor ?? 0;
  if (!tax) return formatMoney(feeMinor, currency);
  return `${formatMoney(feeMinor, currency)} + ${formatMoney(tax, currency)} tax = ${formatMoney(feeMinor + tax, currency)}`;
}
