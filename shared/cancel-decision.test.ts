// Tests for the one cancellation decision: every outcome and rejection reason for every kind of
// canceller and every booking status, DESIGN §3's reconcile table row by row, the cutoff and fee
// window to the millisecond, comments, fees, previews, and properties where order and repetition
// matter. Every rejection reason must be produced by some case here (checked at the end).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOOKING_STATUSES, type BookingStatus, isCancellableStatus } from './booking-status.ts';
import {
  type BookingToCancel,
  type CancelDecisionInput,
  type CancelledBy,
  type Canceller,
  type CancelOutcome,
  type CancelPolicy,
  type CancelWrite,
  type CustomerFeeSetting,
  customerFeeApplies,
  decideCancellation,
  type StaffFeeChoice,
} from './cancel-decision.ts';
import { type FeeQuote, type FeeRule, quoteFee } from './fees.ts';
import { CANCEL_REJECTIONS, type CancelRejection, cancelRejection, NO_SUCH_BOOKING } from './outcomes.ts';
import { ACTOR_ROLES } from './vocabulary.ts';

const HOUR = 3_600_000;
const START = new Date('2030-06-10T09:00:00.000Z');
const LATER = new Date('2030-06-11T14:00:00.000Z');
const at = (msFromStart: number) => new Date(START.getTime() + msFromStart);
const WEEK_BEFORE = at(-7 * 24 * HOUR);
const INVALID = new Date(Number.NaN);

const customer: Canceller = { role: 'customer', customerId: 'cus-1', via: 'session' };
const customerByLink: Canceller = { role: 'customer', customerId: 'cus-1', via: 'cancel_link' };
const customerByViewLink: Canceller = { role: 'customer', customerId: 'cus-1', via: 'view_link' };
const otherCustomer: Canceller = { role: 'customer', customerId: 'cus-2', via: 'session' };
const otherCustomerByLink: Canceller = { role: 'customer', customerId: 'cus-2', via: 'cancel_link' };
const otherCustomerByViewLink: Canceller = { role: 'customer', customerId: 'cus-2', via: 'view_link' };
const admin: Canceller = { role: 'admin', userId: 'adm-1' };
const fieldworker: Canceller = { role: 'fieldworker', userId: 'fw-1' };
const otherFieldworker: Canceller = { role: 'fieldworker', userId: 'fw-2' };

/** A name for a canceller in case titles. */
const who = (c: Canceller): string => {
  if (c.role !== 'customer') return c.userId === 'fw-2' ? 'another fieldworker' : c.role;
  const whose = c.customerId === 'cus-1' ? 'customer' : 'another customer';
  return c.via === 'session' ? `${whose} (session)` : `${whose} (${c.via.replace('_', ' ')})`;
};

const LATE_FEE: CustomerFeeSetting = {
  feeId: 'fee-late',
  name: 'Late cancellation',
  rule: { kind: 'flat', amountMinor: 2500, taxRateBp: 2000 },
  windowHours: 48,
};
const LATE_QUOTE: FeeQuote = { feeMinor: 2500, taxMinor: 500, totalMinor: 3000, currency: 'USD' };
const LATE_FROZEN = { feeId: 'fee-late', name: 'Late cancellation', quote: LATE_QUOTE };
const INSIDE_FEE_WINDOW = at(-36 * HOUR); // after the 48 h fee window opens, before the 24 h cutoff

const policy: CancelPolicy = {
  customerCancelEnabled: true,
  customerCancelCutoffHours: 24,
  customerCommentRequired: false,
  fieldworkerCancelEnabled: true,
  customerFee: LATE_FEE,
};
const CLOSED: CancelPolicy = {
  ...policy,
  customerCancelEnabled: false,
  fieldworkerCancelEnabled: false,
  customerCommentRequired: true,
};

const booking = (
  status: BookingStatus = 'scheduled',
  over: Partial<BookingToCancel> = {},
): BookingToCancel => ({
  status,
  customerId: 'cus-1',
  fieldworkerId: 'fw-1',
  startsAt: START,
  priceMinor: 10_000,
  currency: 'USD',
  cancelledBy: null,
  ...over,
});

const write = (over: Partial<CancelWrite> = {}): CancelWrite => ({
  comment: 'Plans changed',
  clientAt: null,
  ...over,
});

const staffFee = (feeMinor: number, over: Partial<StaffFeeChoice> = {}): StaffFeeChoice => ({
  feeId: 'fee-office',
  name: 'Office fee',
  feeMinor,
  taxMinor: 0,
  ...over,
});

const input = (over: Partial<CancelDecisionInput> = {}): CancelDecisionInput => ({
  now: WEEK_BEFORE,
  canceller: customer,
  booking: booking(),
  policy,
  write: write(),
  ...over,
});

// Every rejection a table case produces, to prove at the end that each reason is reachable.
const produced = new Set<CancelRejection>();
function decide(over: Partial<CancelDecisionInput> = {}): CancelOutcome {
  const outcome = decideCancellation(input(over));
  if (outcome.kind === 'rejected') produced.add(outcome.reason);
  return outcome;
}

type Applied = Extract<CancelOutcome, { kind: 'applied' }>;
const applied = (over: Partial<Applied> = {}): CancelOutcome => ({
  kind: 'applied',
  fee: null,
  changedMeanwhile: [],
  ...over,
});
const rejected = (reason: CancelRejection, fee?: FeeQuote): CancelOutcome =>
  fee === undefined ? { kind: 'rejected', reason } : { kind: 'rejected', reason, fee };
const alreadyCancelled = (cancelledBy: CancelledBy | null = null): CancelOutcome => ({
  kind: 'already-cancelled',
  cancelledBy,
});

const CANCELLABLE = ['requested', 'scheduled', 'confirmed'] as const;
const WRITES = [
  { mode: 'a write', w: write() },
  { mode: 'a preview', w: null },
] as const;

describe('ownership comes first: someone else’s booking answers like a missing one', () => {
  const strangers = [otherCustomer, otherCustomerByLink, otherCustomerByViewLink, otherFieldworker];
  const cases = strangers.flatMap((canceller) =>
    BOOKING_STATUSES.flatMap((status) =>
      [policy, CLOSED].flatMap((p) =>
        WRITES.map(({ mode, w }) => ({
          name: `${who(canceller)}, ${status}, ${p === CLOSED ? 'everything switched off' : 'open policy'}, ${mode}`,
          canceller,
          status,
          p,
          w,
        })),
      ),
    ),
  );

  it.each(cases)('$name: not_found', ({ canceller, status, p, w }) => {
    const b = booking(status, { cancelledBy: { role: 'admin', name: 'Office' } });
    expect(decide({ canceller, booking: b, policy: p, write: w })).toEqual(rejected('not_found'));
  });

  it.each(
    [customer, customerByLink, customerByViewLink, admin, fieldworker].flatMap((canceller) =>
      WRITES.map(({ mode, w }) => ({ name: `${who(canceller)}, ${mode}`, canceller, w })),
    ),
  )('a booking that does not exist (or was deleted): not_found for $name', ({ canceller, w }) => {
    expect(decide({ canceller, booking: null, write: w })).toEqual(rejected('not_found'));
  });

  it('a fieldworker gets not_found for an unassigned booking', () => {
    const unassigned = booking('scheduled', { fieldworkerId: null });
    expect(decide({ canceller: fieldworker, booking: unassigned })).toEqual(rejected('not_found'));
  });

  it('a customer id equal to the fieldworker id does not make a customer the owner', () => {
    const b = booking('scheduled', { customerId: 'cus-9', fieldworkerId: 'cus-1' });
    expect(decide({ canceller: customer, booking: b })).toEqual(rejected('not_found'));
  });

  it('a fieldworker id equal to the customer id does not make a fieldworker the owner', () => {
    const b = booking('scheduled', { customerId: 'fw-1', fieldworkerId: 'fw-9' });
    expect(decide({ canceller: fieldworker, booking: b })).toEqual(rejected('not_found'));
  });

  it.each([
    { name: 'a passed start time', over: { now: at(HOUR) } },
    { name: 'an empty comment where one is required', over: { write: write({ comment: '' }) } },
    { name: 'a fee the customer did not agree to', over: { write: write({ agreedFeeTotalMinor: 1 }) } },
    { name: 'a staff fee over the price', over: { write: write({ staffFee: staffFee(99_999) }) } },
  ])('not_found wins over disabled switches and $name', ({ over }) => {
    for (const canceller of strangers) {
      expect(decide({ canceller, policy: CLOSED, ...over })).toEqual(rejected('not_found'));
    }
  });
});

describe('every canceller, every booking status', () => {
  const cancellers = [customer, customerByLink, customerByViewLink, admin, fieldworker];
  const expected = (canceller: Canceller, status: BookingStatus, by: CancelledBy): CancelOutcome => {
    switch (status) {
      case 'cancelled':
        return alreadyCancelled(by);
      case 'in_progress':
        return rejected('started');
      case 'completed':
        return rejected('completed');
      default:
        return canceller.role === 'customer' && canceller.via === 'view_link'
          ? rejected('view_link_cannot_cancel')
          : applied();
    }
  };
  const cases = cancellers.flatMap((canceller) =>
    BOOKING_STATUSES.flatMap((status) =>
      WRITES.map(({ mode, w }) => ({
        name: `${who(canceller)} on a ${status} booking, ${mode}`,
        canceller,
        status,
        w,
      })),
    ),
  );

  it.each(cases)('$name', ({ canceller, status, w }) => {
    const by: CancelledBy = { role: 'fieldworker', name: 'Sam' };
    const b = booking(status, { cancelledBy: status === 'cancelled' ? by : null });
    expect(decide({ canceller, booking: b, write: w })).toEqual(expected(canceller, status, by));
  });

  it.each(
    cancellers.flatMap((canceller) =>
      (['cancelled', 'in_progress', 'completed'] as const).map((status) => ({
        name: `${who(canceller)}, ${status}`,
        canceller,
        status,
      })),
    ),
  )('the status is decided before the switches, the clock and the write: $name', ({ canceller, status }) => {
    const outcome = decide({
      canceller,
      booking: booking(status),
      policy: CLOSED,
      now: at(HOUR),
      write: write({ comment: '', staffFee: staffFee(99_999), agreedFeeTotalMinor: 1 }),
    });
    expect(outcome).toEqual(
      { cancelled: alreadyCancelled(), in_progress: rejected('started'), completed: rejected('completed') }[
        status
      ],
    );
  });

  it('throws RangeError on a status it does not know', () => {
    const odd = booking('archived' as BookingStatus);
    expect(() => decide({ canceller: admin, booking: odd })).toThrow(RangeError);
  });
});

describe('customer: who may cancel now', () => {
  it.each(
    CANCELLABLE.flatMap((status) =>
      [customer, customerByLink].map((canceller) => ({
        name: `${who(canceller)}, ${status}`,
        canceller,
        status,
      })),
    ),
  )('may cancel their own booking in time: $name', ({ canceller, status }) => {
    expect(decide({ canceller, booking: booking(status) })).toEqual(applied());
  });

  it.each([customer, customerByLink].map((canceller) => ({ name: who(canceller), canceller })))(
    'is refused when the business has turned customer cancellation off: $name',
    ({ canceller }) => {
      const off = { ...policy, customerCancelEnabled: false };
      expect(decide({ canceller, policy: off })).toEqual(rejected('customer_cancel_disabled'));
      expect(decide({ canceller, policy: off, write: null })).toEqual(rejected('customer_cancel_disabled'));
    },
  );

  it('a view link only views, even when everything else would allow the cancel', () => {
    expect(decide({ canceller: customerByViewLink })).toEqual(rejected('view_link_cannot_cancel'));
    expect(decide({ canceller: customerByViewLink, write: null })).toEqual(
      rejected('view_link_cannot_cancel'),
    );
  });

  it('a view link is named after the switch and the clock: when nobody may cancel online, that is what it says', () => {
    const off = { ...policy, customerCancelEnabled: false };
    expect(decide({ canceller: customerByViewLink, policy: off, now: WEEK_BEFORE })).toEqual(
      rejected('customer_cancel_disabled'),
    );
    expect(decide({ canceller: customerByViewLink, now: at(HOUR) })).toEqual(rejected('started'));
    expect(decide({ canceller: customerByViewLink, now: at(-HOUR) })).toEqual(rejected('too_close_to_start'));
    expect(decide({ canceller: customerByViewLink, now: WEEK_BEFORE })).toEqual(
      rejected('view_link_cannot_cancel'),
    );
  });

  const noFee = { ...policy, customerFee: null };
  it.each([
    { name: 'a week before', now: WEEK_BEFORE, result: applied() },
    { name: 'exactly at the cutoff', now: at(-24 * HOUR), result: applied() },
    { name: '1 ms after the cutoff', now: at(-24 * HOUR + 1), result: rejected('too_close_to_start') },
    { name: '1 ms before the start', now: at(-1), result: rejected('too_close_to_start') },
    { name: 'exactly at the start', now: START, result: rejected('started') },
    { name: 'after the start', now: at(HOUR), result: rejected('started') },
  ])('with a 24 h cutoff, $name', ({ now, result }) => {
    for (const canceller of [customer, customerByLink]) {
      expect(decide({ canceller, now, policy: noFee })).toEqual(result);
      expect(decide({ canceller, now, policy: noFee, write: null })).toEqual(result);
    }
  });

  it.each([
    { name: '1 ms before the start', now: at(-1), result: applied() },
    { name: 'exactly at the start', now: START, result: rejected('started') },
    { name: '1 ms after the start', now: at(1), result: rejected('started') },
  ])('with cutoff 0 (until it starts), $name', ({ now, result }) => {
    const untilStart = { ...noFee, customerCancelCutoffHours: 0 };
    expect(decide({ now, policy: untilStart })).toEqual(result);
  });

  it('honours fractional cutoff hours to the millisecond', () => {
    const halfHour = { ...noFee, customerCancelCutoffHours: 0.5 };
    expect(decide({ policy: halfHour, now: at(-HOUR / 2) })).toEqual(applied());
    expect(decide({ policy: halfHour, now: at(-HOUR / 2 + 1) })).toEqual(rejected('too_close_to_start'));
  });

  it('judges a start time that has passed as started even while the status says confirmed', () => {
    const untilStart = { ...noFee, customerCancelCutoffHours: 0 };
    expect(decide({ booking: booking('confirmed'), policy: untilStart, now: at(1) })).toEqual(
      rejected('started'),
    );
  });

  it('the switch being off is named before the time checks', () => {
    const off = { ...policy, customerCancelEnabled: false };
    expect(decide({ policy: off, now: at(HOUR) })).toEqual(rejected('customer_cancel_disabled'));
    expect(decide({ policy: off, now: at(-1) })).toEqual(rejected('customer_cancel_disabled'));
  });

  it("the device's clock is never trusted: pressed a week ahead, received after the cutoff, refused", () => {
    const w = write({ clientAt: WEEK_BEFORE });
    expect(decide({ now: at(-HOUR), write: w })).toEqual(rejected('too_close_to_start'));
  });

  it('is not bound by the fieldworker switch', () => {
    expect(decide({ policy: { ...policy, fieldworkerCancelEnabled: false } })).toEqual(applied());
  });
});

describe('fieldworker: who may cancel now', () => {
  it.each(CANCELLABLE)('may cancel their own %s booking', (status) => {
    expect(decide({ canceller: fieldworker, booking: booking(status) })).toEqual(applied());
  });

  it('is refused when the business has turned fieldworker cancellation off', () => {
    const off = { ...policy, fieldworkerCancelEnabled: false };
    expect(decide({ canceller: fieldworker, policy: off })).toEqual(rejected('fieldworker_cancel_disabled'));
    expect(decide({ canceller: fieldworker, policy: off, write: null })).toEqual(
      rejected('fieldworker_cancel_disabled'),
    );
  });

  it('the switch is named before the comment and fee checks', () => {
    const off = { ...policy, fieldworkerCancelEnabled: false };
    const w = write({ comment: '', staffFee: staffFee(100) });
    expect(decide({ canceller: fieldworker, policy: off, write: w })).toEqual(
      rejected('fieldworker_cancel_disabled'),
    );
  });

  it('is not bound by the customer switch or cutoff, nor charged the customer fee', () => {
    const customerOff = { ...policy, customerCancelEnabled: false };
    expect(decide({ canceller: fieldworker, policy: customerOff, now: at(-1) })).toEqual(applied());
    expect(decide({ canceller: fieldworker, now: INSIDE_FEE_WINDOW })).toEqual(applied());
  });
});

describe('admin: may cancel any booking that has not started', () => {
  it.each(CANCELLABLE)('any %s booking, anyone’s, assigned or not', (status) => {
    const b = booking(status, { customerId: 'anyone', fieldworkerId: null });
    expect(decide({ canceller: admin, booking: b })).toEqual(applied());
  });

  it.each([
    { name: 'inside the cutoff', now: at(-1) },
    { name: 'exactly at the start', now: START },
    { name: 'past the start time (nobody pressed Start)', now: at(5 * HOUR) },
  ])('$name, whatever the switches, without a comment', ({ now }) => {
    expect(decide({ canceller: admin, policy: CLOSED, now, write: write({ comment: '' }) })).toEqual(
      applied(),
    );
    expect(decide({ canceller: admin, policy: CLOSED, now, write: null })).toEqual(applied());
  });

  it('is never charged the customer fee, even inside its window', () => {
    expect(decide({ canceller: admin, now: INSIDE_FEE_WINDOW })).toEqual(applied());
    expect(decide({ canceller: admin, now: INSIDE_FEE_WINDOW, write: null })).toEqual(applied());
  });
});

describe('comment', () => {
  const required = { ...policy, customerCommentRequired: true };
  const notRequired = { ...policy, customerCommentRequired: false };
  it.each([
    { name: 'customer, required, empty', c: customer, p: required, comment: '', result: 'comment_required' },
    {
      name: 'customer, required, spaces',
      c: customer,
      p: required,
      comment: '   ',
      result: 'comment_required',
    },
    {
      name: 'customer, required, tabs and newlines',
      c: customer,
      p: required,
      comment: '\n\t \r\n',
      result: 'comment_required',
    },
    {
      name: 'customer by link, required, empty',
      c: customerByLink,
      p: required,
      comment: '',
      result: 'comment_required',
    },
    { name: 'customer, required, given', c: customer, p: required, comment: 'Ill', result: 'applied' },
    { name: 'customer, required, padded', c: customer, p: required, comment: '  Ill  ', result: 'applied' },
    { name: 'customer, not required, empty', c: customer, p: notRequired, comment: '', result: 'applied' },
    { name: 'customer, not required, spaces', c: customer, p: notRequired, comment: '  ', result: 'applied' },
    {
      name: 'fieldworker, policy says no, empty',
      c: fieldworker,
      p: notRequired,
      comment: '',
      result: 'comment_required',
    },
    {
      name: 'fieldworker, policy says no, spaces',
      c: fieldworker,
      p: notRequired,
      comment: ' \t',
      result: 'comment_required',
    },
    {
      name: 'fieldworker, policy says yes, empty',
      c: fieldworker,
      p: required,
      comment: '',
      result: 'comment_required',
    },
    {
      name: 'fieldworker, given',
      c: fieldworker,
      p: notRequired,
      comment: 'Van broke down',
      result: 'applied',
    },
    { name: 'admin, policy says yes, empty', c: admin, p: required, comment: '', result: 'applied' },
    { name: 'admin, policy says yes, spaces', c: admin, p: required, comment: '   ', result: 'applied' },
  ] as const)('$name: $result', ({ c, p, comment, result }) => {
    const outcome = decide({ canceller: c, policy: p, write: write({ comment }) });
    expect(outcome).toEqual(result === 'applied' ? applied() : rejected(result));
  });

  it.each([customer, customerByLink, fieldworker].map((c) => ({ name: who(c), canceller: c })))(
    'a preview asks for no comment: $name',
    ({ canceller }) => {
      expect(decide({ canceller, policy: required, write: null })).toEqual(applied());
    },
  );

  it('who may cancel is decided before the comment', () => {
    const off = { ...required, customerCancelEnabled: false };
    expect(decide({ policy: off, write: write({ comment: '' }) })).toEqual(
      rejected('customer_cancel_disabled'),
    );
    expect(decide({ policy: required, now: at(-1), write: write({ comment: '' }) })).toEqual(
      rejected('too_close_to_start'),
    );
  });

  it('the comment is checked before the fee', () => {
    const w = write({ comment: ' ', agreedFeeTotalMinor: 1 });
    expect(decide({ policy: required, now: INSIDE_FEE_WINDOW, write: w })).toEqual(
      rejected('comment_required'),
    );
    const fw = write({ comment: '', staffFee: staffFee(100) });
    expect(decide({ canceller: fieldworker, write: fw })).toEqual(rejected('comment_required'));
  });
});

describe('customer fee: from the business’s rule, inside its window only', () => {
  // Window 48 h, cutoff 24 h: the fee applies from 48 h before the start (exclusive) until the cutoff.
  it.each([
    { name: 'a week before', now: WEEK_BEFORE, fee: null },
    { name: '1 ms before the window opens', now: at(-48 * HOUR - 1), fee: null },
    { name: 'exactly at the window edge (still free)', now: at(-48 * HOUR), fee: null },
    { name: '1 ms inside the window', now: at(-48 * HOUR + 1), fee: LATE_FROZEN },
    { name: 'exactly at the cutoff', now: at(-24 * HOUR), fee: LATE_FROZEN },
  ])('$name', ({ now, fee }) => {
    for (const canceller of [customer, customerByLink]) {
      expect(decide({ canceller, now, write: null })).toEqual(applied({ fee }));
      expect(decide({ canceller, now })).toEqual(applied({ fee }));
    }
  });

  it('a window of 0 never charges', () => {
    const never = { ...policy, customerFee: { ...LATE_FEE, windowHours: 0 }, customerCancelCutoffHours: 0 };
    expect(decide({ policy: never, now: at(-1) })).toEqual(applied());
  });

  it('no fee configured: no fee', () => {
    expect(decide({ policy: { ...policy, customerFee: null }, now: INSIDE_FEE_WINDOW })).toEqual(applied());
  });

  it('a fee window narrower than the cutoff can never be reached online', () => {
    const narrow = { ...policy, customerFee: { ...LATE_FEE, windowHours: 12 } };
    expect(decide({ policy: narrow, now: at(-24 * HOUR) })).toEqual(applied());
    expect(decide({ policy: narrow, now: at(-12 * HOUR + 1) })).toEqual(rejected('too_close_to_start'));
  });

  it.each<{ name: string; rule: FeeRule; price: number; quote: FeeQuote }>([
    {
      name: 'percent of the price with tax',
      rule: { kind: 'percent', percentBp: 5000, taxRateBp: 1000 },
      price: 8000,
      quote: { feeMinor: 4000, taxMinor: 400, totalMinor: 4400, currency: 'USD' },
    },
    {
      name: 'flat fee capped at a smaller price',
      rule: { kind: 'flat', amountMinor: 2500, taxRateBp: 2000 },
      price: 1000,
      quote: { feeMinor: 1000, taxMinor: 200, totalMinor: 1200, currency: 'USD' },
    },
  ])('$name', ({ rule, price, quote }) => {
    const p = { ...policy, customerFee: { ...LATE_FEE, rule } };
    const b = booking('scheduled', { priceMinor: price });
    const fee = { feeId: 'fee-late', name: 'Late cancellation', quote };
    expect(decide({ policy: p, booking: b, now: INSIDE_FEE_WINDOW, write: null })).toEqual(applied({ fee }));
    expect(
      decide({
        policy: p,
        booking: b,
        now: INSIDE_FEE_WINDOW,
        write: write({ agreedFeeTotalMinor: quote.totalMinor }),
      }),
    ).toEqual(applied({ fee }));
  });

  it('a free booking costs nothing to cancel: no fee to show, agree to or record', () => {
    const p = {
      ...policy,
      customerFee: { ...LATE_FEE, rule: { kind: 'flat' as const, amountMinor: 2500, taxRateBp: 2000 } },
    };
    const b = booking('scheduled', { priceMinor: 0 });
    expect(decide({ policy: p, booking: b, now: INSIDE_FEE_WINDOW, write: null })).toEqual(
      applied({ fee: null }),
    );
    expect(
      decide({ policy: p, booking: b, now: INSIDE_FEE_WINDOW, write: write({ agreedFeeTotalMinor: null }) }),
    ).toEqual(applied({ fee: null }));
  });

  it('quotes in the booking’s currency', () => {
    const b = booking('scheduled', { priceMinor: 10_000, currency: 'JPY' });
    const outcome = decide({ booking: b, now: INSIDE_FEE_WINDOW });
    expect(outcome).toEqual(applied({ fee: { ...LATE_FROZEN, quote: { ...LATE_QUOTE, currency: 'JPY' } } }));
  });

  it.each([
    {
      name: 'agreed to the fee it costs now',
      now: INSIDE_FEE_WINDOW,
      agreed: 3000,
      result: applied({ fee: LATE_FROZEN }),
    },
    { name: 'agreed to no fee, and none applies', now: WEEK_BEFORE, agreed: null, result: applied() },
    {
      name: 'sent no agreement at all, inside the window',
      now: INSIDE_FEE_WINDOW,
      agreed: undefined,
      result: applied({ fee: LATE_FROZEN }),
    },
    {
      name: 'sent no agreement at all, outside the window',
      now: WEEK_BEFORE,
      agreed: undefined,
      result: applied(),
    },
    {
      name: 'saw no fee, one applies now',
      now: INSIDE_FEE_WINDOW,
      agreed: null,
      result: rejected('fee_changed', LATE_QUOTE),
    },
    {
      name: 'saw a smaller fee',
      now: INSIDE_FEE_WINDOW,
      agreed: 2999,
      result: rejected('fee_changed', LATE_QUOTE),
    },
    {
      name: 'saw a bigger fee',
      now: INSIDE_FEE_WINDOW,
      agreed: 3001,
      result: rejected('fee_changed', LATE_QUOTE),
    },
    {
      name: 'saw the fee without its tax',
      now: INSIDE_FEE_WINDOW,
      agreed: 2500,
      result: rejected('fee_changed', LATE_QUOTE),
    },
    {
      name: 'saw a fee, none applies now',
      now: WEEK_BEFORE,
      agreed: 3000,
      result: rejected('fee_no_longer_applies'),
    },
    {
      name: 'saw a zero fee, none applies now',
      now: WEEK_BEFORE,
      agreed: 0,
      result: rejected('fee_no_longer_applies'),
    },
  ])('the customer agrees to exactly what they saw: $name', ({ now, agreed, result }) => {
    expect(decide({ now, write: write({ agreedFeeTotalMinor: agreed }) })).toEqual(result);
  });

  it('the window opened between the dialog and the Cancel press: fee_changed, with the fee now', () => {
    // The dialog showed no fee exactly at the window's edge; the press lands 1 ms later.
    expect(decide({ now: at(-48 * HOUR), write: null })).toEqual(applied());
    expect(decide({ now: at(-48 * HOUR + 1), write: write({ agreedFeeTotalMinor: null }) })).toEqual(
      rejected('fee_changed', LATE_QUOTE),
    );
  });

  it('the fee definition changed since the dialog: fee_changed, carrying the current quote', () => {
    const raised = {
      ...policy,
      customerFee: { ...LATE_FEE, rule: { kind: 'flat', amountMinor: 4000, taxRateBp: 2000 } as const },
    };
    const outcome = decide({
      policy: raised,
      now: INSIDE_FEE_WINDOW,
      write: write({ agreedFeeTotalMinor: 3000 }),
    });
    expect(outcome).toEqual(
      rejected('fee_changed', { feeMinor: 4000, taxMinor: 800, totalMinor: 4800, currency: 'USD' }),
    );
  });

  it('the fee was removed from the settings since the dialog: fee_no_longer_applies', () => {
    const removed = { ...policy, customerFee: null };
    expect(
      decide({ policy: removed, now: INSIDE_FEE_WINDOW, write: write({ agreedFeeTotalMinor: 3000 }) }),
    ).toEqual(rejected('fee_no_longer_applies'));
  });

  it('a customer cannot pick their own fee: a staff fee in a customer write is ignored', () => {
    const w = write({ staffFee: staffFee(1) });
    expect(decide({ now: INSIDE_FEE_WINDOW, write: w })).toEqual(applied({ fee: LATE_FROZEN }));
    expect(decide({ now: WEEK_BEFORE, write: w })).toEqual(applied());
  });
});

describe('staff fee: only the office charges, frozen as chosen, never above the price', () => {
  it.each([
    { name: 'a fee from the list', fee: staffFee(2500, { taxMinor: 500 }) },
    { name: 'a custom fee (no id)', fee: staffFee(1234, { feeId: null, name: 'Custom' }) },
    { name: 'a fee equal to the price', fee: staffFee(10_000) },
    { name: 'a fee equal to the price, tax on top', fee: staffFee(10_000, { taxMinor: 2000 }) },
    { name: 'a zero fee', fee: staffFee(0) },
  ])('admin, $name: applied with that fee as the dialog showed it', ({ fee }) => {
    const expectedFee = {
      feeId: fee.feeId,
      name: fee.name,
      quote: {
        feeMinor: fee.feeMinor,
        taxMinor: fee.taxMinor,
        totalMinor: fee.feeMinor + fee.taxMinor,
        currency: 'USD',
      },
    };
    expect(decide({ canceller: admin, write: write({ staffFee: fee }) })).toEqual(
      applied({ fee: expectedFee }),
    );
  });

  it.each([
    { name: '1 minor unit over the price', fee: staffFee(10_001), price: 10_000 },
    { name: 'any fee on a free booking', fee: staffFee(1), price: 0 },
    { name: 'a fee far over the price', fee: staffFee(1_000_000, { taxMinor: 0 }), price: 10_000 },
  ])('admin, $name: fee_over_price', ({ fee, price }) => {
    const b = booking('scheduled', { priceMinor: price });
    expect(decide({ canceller: admin, booking: b, write: write({ staffFee: fee }) })).toEqual(
      rejected('fee_over_price'),
    );
  });

  it('admin, no fee chosen (null or absent): no fee', () => {
    expect(decide({ canceller: admin, write: write({ staffFee: null }) })).toEqual(applied());
    expect(decide({ canceller: admin, write: write() })).toEqual(applied());
  });

  it('admin: the agreed customer total plays no part', () => {
    const w = write({ staffFee: staffFee(500), agreedFeeTotalMinor: 3000 });
    const outcome = decide({ canceller: admin, now: INSIDE_FEE_WINDOW, write: w });
    expect(outcome).toEqual(
      applied({
        fee: {
          feeId: 'fee-office',
          name: 'Office fee',
          quote: { feeMinor: 500, taxMinor: 0, totalMinor: 500, currency: 'USD' },
        },
      }),
    );
  });

  it.each([
    { name: 'a fee from the list', fee: staffFee(2500) },
    { name: 'a zero fee', fee: staffFee(0) },
    { name: 'a fee over the price', fee: staffFee(99_999) },
  ])('fieldworker, $name: fee_not_allowed', ({ fee }) => {
    expect(decide({ canceller: fieldworker, write: write({ staffFee: fee }) })).toEqual(
      rejected('fee_not_allowed'),
    );
  });

  it('fieldworker, no fee: applied', () => {
    expect(decide({ canceller: fieldworker, write: write({ staffFee: null }) })).toEqual(applied());
  });
});

describe('DESIGN §3, reconciling offline cancellations, row by row', () => {
  const offline: Canceller[] = [admin, fieldworker];

  it.each(
    offline.flatMap((canceller) =>
      CANCELLABLE.map((status) => ({ name: `${who(canceller)}, ${status}`, canceller, status })),
    ),
  )('cancel, nothing changed meanwhile: applied ($name)', ({ canceller, status }) => {
    const w = write({ clientAt: at(-50 * HOUR), sawStartsAt: START, sawFieldworkerId: 'fw-1' });
    expect(decide({ canceller, booking: booking(status), now: at(-2 * HOUR), write: w })).toEqual(applied());
  });

  it('the time the person pressed Cancel is for the audit row only: it never changes the outcome', () => {
    for (const clientAt of [null, WEEK_BEFORE, at(-1), at(3 * HOUR), new Date(0)]) {
      expect(decide({ canceller: admin, write: write({ clientAt }) })).toEqual(applied());
      expect(decide({ canceller: customer, write: write({ clientAt }) })).toEqual(applied());
    }
  });

  it.each<{ by: CancelledBy | null; name: string }>([
    { name: 'the customer', by: { role: 'customer', name: 'Dana Customer' } },
    { name: 'an admin', by: { role: 'admin', name: 'Office' } },
    { name: 'another device', by: { role: 'fieldworker', name: 'Sam on another phone' } },
    { name: 'the system', by: { role: 'system', name: 'System' } },
    { name: 'nobody recorded', by: null },
  ])('cancel, already cancelled by $name: a no-op naming who cancelled first', ({ by }) => {
    const b = booking('cancelled', { cancelledBy: by });
    for (const canceller of [customer, customerByLink, admin, fieldworker]) {
      // No fee and no comment check on a no-op, and today's switches and clock do not matter.
      const w = write({ comment: '', staffFee: staffFee(99_999), agreedFeeTotalMinor: 1 });
      expect(decide({ canceller, booking: b, policy: CLOSED, now: at(HOUR), write: w })).toEqual(
        alreadyCancelled(by),
      );
    }
  });

  it.each<{ name: string; b: BookingToCancel; saw: Partial<CancelWrite>; expected: CancelOutcome }>([
    {
      name: 'rescheduled',
      b: booking('scheduled', { startsAt: LATER }),
      saw: {},
      expected: applied({ changedMeanwhile: ['rescheduled'] }),
    },
    {
      name: 'moved by one millisecond',
      b: booking('scheduled', { startsAt: at(1) }),
      saw: {},
      expected: applied({ changedMeanwhile: ['rescheduled'] }),
    },
    {
      name: 'reassigned',
      b: booking('confirmed', { fieldworkerId: 'fw-2' }),
      saw: {},
      expected: applied({ changedMeanwhile: ['reassigned'] }),
    },
    {
      name: 'rescheduled and reassigned',
      b: booking('scheduled', { startsAt: LATER, fieldworkerId: 'fw-2' }),
      saw: {},
      expected: applied({ changedMeanwhile: ['rescheduled', 'reassigned'] }),
    },
    {
      name: 'unassigned',
      b: booking('scheduled', { fieldworkerId: null }),
      saw: {},
      expected: applied({ changedMeanwhile: ['reassigned'] }),
    },
    {
      name: 'assigned (it was unassigned)',
      b: booking('scheduled', { fieldworkerId: 'fw-3' }),
      saw: { sawFieldworkerId: null },
      expected: applied({ changedMeanwhile: ['reassigned'] }),
    },
    {
      name: 'nothing, start time in another Date object',
      b: booking('scheduled', { startsAt: new Date(START.toISOString()) }),
      saw: {},
      expected: applied(),
    },
  ])('admin, $name meanwhile: applied, notifying the fieldworker assigned now', ({ b, saw, expected }) => {
    const w = write({ sawStartsAt: START, sawFieldworkerId: 'fw-1', ...saw });
    expect(decide({ canceller: admin, booking: b, write: w })).toEqual(expected);
  });

  it('admin, what they saw not sent: nothing is reported as changed', () => {
    const b = booking('scheduled', { startsAt: LATER, fieldworkerId: 'fw-2' });
    expect(decide({ canceller: admin, booking: b, write: write() })).toEqual(applied());
  });

  it('fieldworker, rescheduled meanwhile: applied and reported', () => {
    const w = write({ sawStartsAt: START, sawFieldworkerId: 'fw-1' });
    const b = booking('scheduled', { startsAt: LATER });
    expect(decide({ canceller: fieldworker, booking: b, write: w })).toEqual(
      applied({ changedMeanwhile: ['rescheduled'] }),
    );
  });

  it('fieldworker, reassigned to someone else meanwhile: no longer theirs, so not_found', () => {
    // Ownership is judged on the booking as it is now: the job left this fieldworker's list.
    const w = write({ sawStartsAt: START, sawFieldworkerId: 'fw-1' });
    const b = booking('scheduled', { fieldworkerId: 'fw-2' });
    expect(decide({ canceller: fieldworker, booking: b, write: w })).toEqual(rejected('not_found'));
  });

  it('customer, rescheduled meanwhile: the start as it is now decides the cutoff and the fee', () => {
    const w = write({ sawStartsAt: START });
    // Moved later: still in time, no fee yet, reported.
    expect(
      decide({ now: at(-49 * HOUR), booking: booking('scheduled', { startsAt: LATER }), write: w }),
    ).toEqual(applied({ changedMeanwhile: ['rescheduled'] }));
    // Moved earlier, into the cutoff: refused.
    const sooner = booking('scheduled', { startsAt: at(-49 * HOUR + 12 * HOUR) });
    expect(decide({ now: at(-49 * HOUR), booking: sooner, write: w })).toEqual(
      rejected('too_close_to_start'),
    );
  });

  it.each(
    offline.concat(customer).flatMap((canceller) =>
      [
        { status: 'in_progress' as const, reason: 'started' as const },
        { status: 'completed' as const, reason: 'completed' as const },
      ].map((c) => ({ ...c, name: `${who(canceller)}, ${c.status}`, canceller })),
    ),
  )(
    'cancel, started or completed meanwhile: rejected with that reason ($name)',
    ({ canceller, status, reason }) => {
      const w = write({ staffFee: staffFee(100), sawStartsAt: START, sawFieldworkerId: 'fw-1' });
      expect(decide({ canceller, booking: booking(status), write: w })).toEqual(rejected(reason));
    },
  );

  it.each([admin, fieldworker, customer].map((c) => ({ name: who(c), canceller: c })))(
    'cancel, deleted meanwhile: not_found, like any missing booking ($name)',
    ({ canceller }) => {
      const w = write({ staffFee: staffFee(100), sawStartsAt: START, sawFieldworkerId: 'fw-1' });
      expect(decide({ canceller, booking: null, write: w })).toEqual(rejected('not_found'));
    },
  );

  it.each<{ name: string; now: CancelPolicy['customerFee'] }>([
    {
      name: 'changed',
      now: { ...LATE_FEE, feeId: 'fee-office', rule: { kind: 'flat', amountMinor: 9000, taxRateBp: 0 } },
    },
    { name: 'deleted', now: null },
  ])('admin, a fee whose definition has since been $name: the frozen amounts are kept', ({ now }) => {
    const frozenChoice = staffFee(1999, { taxMinor: 400, name: 'Old office fee' });
    const outcome = decide({
      canceller: admin,
      policy: { ...policy, customerFee: now },
      now: INSIDE_FEE_WINDOW,
      write: write({ staffFee: frozenChoice, sawStartsAt: START, sawFieldworkerId: 'fw-1' }),
    });
    expect(outcome).toEqual(
      applied({
        fee: {
          feeId: 'fee-office',
          name: 'Old office fee',
          quote: { feeMinor: 1999, taxMinor: 400, totalMinor: 2399, currency: 'USD' },
        },
      }),
    );
  });
});

describe('bad input is a bug: RangeError, never a quiet decision', () => {
  it.each<{ name: string; over: Partial<CancelDecisionInput> }>([
    { name: 'an invalid now', over: { now: INVALID } },
    { name: 'an invalid now, in a preview', over: { now: INVALID, write: null } },
    { name: 'an invalid now, for an admin', over: { now: INVALID, canceller: admin } },
    { name: 'an invalid clientAt', over: { write: write({ clientAt: INVALID }) } },
    { name: 'an invalid sawStartsAt', over: { canceller: admin, write: write({ sawStartsAt: INVALID }) } },
    {
      name: 'an invalid start on the booking',
      over: { booking: booking('scheduled', { startsAt: INVALID }) },
    },
    {
      name: 'an invalid start on a cancelled booking',
      over: { canceller: admin, booking: booking('cancelled', { startsAt: INVALID }) },
    },
    { name: 'a negative cutoff', over: { policy: { ...policy, customerCancelCutoffHours: -1 } } },
    { name: 'a NaN cutoff', over: { policy: { ...policy, customerCancelCutoffHours: Number.NaN } } },
    {
      name: 'an infinite cutoff',
      over: { policy: { ...policy, customerCancelCutoffHours: Number.POSITIVE_INFINITY } },
    },
    {
      name: 'a negative fee window, for a customer',
      over: { policy: { ...policy, customerFee: { ...LATE_FEE, windowHours: -1 } } },
    },
    { name: 'an unknown status', over: { canceller: admin, booking: booking('archived' as BookingStatus) } },
  ])('throws on $name', ({ over }) => {
    expect(() => decide(over)).toThrow(RangeError);
  });
});

describe('customerFeeApplies', () => {
  it.each([
    { name: 'outside the window', window: 48, now: WEEK_BEFORE, applies: false },
    { name: 'exactly at the window edge', window: 48, now: at(-48 * HOUR), applies: false },
    { name: '1 ms inside the window', window: 48, now: at(-48 * HOUR + 1), applies: true },
    { name: 'just before the start', window: 48, now: at(-1), applies: true },
    { name: 'after the start', window: 48, now: at(HOUR), applies: true },
    { name: 'window 0, just before the start', window: 0, now: at(-1), applies: false },
    { name: 'window 0, after the start', window: 0, now: at(HOUR), applies: false },
    { name: 'window 1, 59 min before', window: 1, now: at(-59 * 60_000), applies: true },
    { name: 'window 1, 61 min before', window: 1, now: at(-61 * 60_000), applies: false },
    { name: 'window 0.5, 30 min before', window: 0.5, now: at(-30 * 60_000), applies: false },
    { name: 'window 0.5, 30 min - 1 ms before', window: 0.5, now: at(-30 * 60_000 + 1), applies: true },
  ])('$name → $applies', ({ window, now, applies }) => {
    expect(customerFeeApplies(window, START, now)).toBe(applies);
  });

  it.each([
    { name: 'negative window', window: -1, startsAt: START, now: WEEK_BEFORE },
    { name: 'NaN window', window: Number.NaN, startsAt: START, now: WEEK_BEFORE },
    { name: 'infinite window', window: Number.POSITIVE_INFINITY, startsAt: START, now: WEEK_BEFORE },
    { name: 'invalid startsAt', window: 24, startsAt: INVALID, now: WEEK_BEFORE },
    { name: 'invalid now', window: 24, startsAt: START, now: INVALID },
  ])('throws RangeError on $name', ({ window, startsAt, now }) => {
    expect(() => customerFeeApplies(window, startsAt, now)).toThrow(RangeError);
  });

  it('a wider window never removes a fee', () => {
    fc.assert(
      fc.property(
        fc.nat(24 * 30),
        fc.nat(24 * 30),
        fc.integer({ min: -60 * 24 * HOUR, max: HOUR }),
        (w, extra, o) => {
          if (customerFeeApplies(w, START, at(o)))
            expect(customerFeeApplies(w + extra, START, at(o))).toBe(true);
        },
      ),
    );
  });
});

// Arbitraries over the whole input space, with ids drawn from small sets so that owning and
// not owning, changed and unchanged, all come up often.
const cancellerArb = fc.constantFrom(
  customer,
  customerByLink,
  customerByViewLink,
  otherCustomer,
  admin,
  fieldworker,
  otherFieldworker,
);
const statusArb = fc.constantFrom(...BOOKING_STATUSES);
const cancelledByArb: fc.Arbitrary<CancelledBy | null> = fc.option(
  fc.record({ role: fc.constantFrom(...ACTOR_ROLES), name: fc.constantFrom('Dana', 'Office', '') }),
  { nil: null },
);
const bookingArb: fc.Arbitrary<BookingToCancel> = fc.record({
  status: statusArb,
  customerId: fc.constantFrom('cus-1', 'cus-2'),
  fieldworkerId: fc.constantFrom('fw-1', 'fw-2', null),
  startsAt: fc.constantFrom(START, LATER),
  priceMinor: fc.nat(1_000_000),
  currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  cancelledBy: cancelledByArb,
});
const ruleArb: fc.Arbitrary<FeeRule> = fc.oneof(
  fc.record({ kind: fc.constant('flat' as const), amountMinor: fc.nat(200_000), taxRateBp: fc.nat(10_000) }),
  fc.record({ kind: fc.constant('percent' as const), percentBp: fc.nat(10_000), taxRateBp: fc.nat(10_000) }),
);
const customerFeeArb: fc.Arbitrary<CustomerFeeSetting | null> = fc.option(
  fc.record({
    feeId: fc.constant('fee-late'),
    name: fc.constant('Late cancellation'),
    rule: ruleArb,
    windowHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 24 * 14 })),
  }),
  { nil: null },
);
const policyArb: fc.Arbitrary<CancelPolicy> = fc.record({
  customerCancelEnabled: fc.boolean(),
  customerCancelCutoffHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 24 * 14 })),
  customerCommentRequired: fc.boolean(),
  fieldworkerCancelEnabled: fc.boolean(),
  customerFee: customerFeeArb,
});
const staffFeeArb: fc.Arbitrary<StaffFeeChoice | null | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.record({
    feeId: fc.constantFrom('fee-office', null),
    name: fc.constant('Office fee'),
    feeMinor: fc.nat(1_200_000),
    taxMinor: fc.nat(100_000),
  }),
);
const writeArb: fc.Arbitrary<CancelWrite> = fc.record({
  comment: fc.constantFrom('', '   ', '\t\n', 'Plans changed'),
  clientAt: fc.option(
    fc.date({ min: new Date('2029-01-01'), max: new Date('2031-01-01'), noInvalidDate: true }),
    {
      nil: null,
    },
  ),
  sawStartsAt: fc.constantFrom(undefined, START, LATER),
  sawFieldworkerId: fc.constantFrom(undefined, null, 'fw-1', 'fw-2'),
  staffFee: staffFeeArb,
  agreedFeeTotalMinor: fc.oneof(fc.constant(undefined), fc.constant(null), fc.nat(300_000)),
});
// Clustered around the cutoffs and windows of START, and anywhere within a month.
const nowArb = fc
  .oneof(
    fc.integer({ min: -30 * 24 * HOUR, max: 30 * 24 * HOUR }),
    fc.constantFrom(0, -1, 1, -24 * HOUR, -24 * HOUR + 1, -48 * HOUR, -48 * HOUR + 1),
  )
  .map(at);
const inputArb: fc.Arbitrary<CancelDecisionInput> = fc.record({
  now: nowArb,
  canceller: cancellerArb,
  booking: fc.option(bookingArb, { nil: null, freq: 10 }),
  policy: policyArb,
  write: fc.option(writeArb, { nil: null, freq: 3 }),
});

const owns = (c: Canceller, b: BookingToCancel): boolean =>
  c.role === 'admin' ||
  (c.role === 'customer' ? c.customerId === b.customerId : c.userId === b.fieldworkerId);

describe('properties', () => {
  it('deciding is deterministic and pure: same input, same outcome; the input is left as it was', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const before = structuredClone(i);
        const first = decideCancellation(i);
        const second = decideCancellation(i);
        expect(second).toEqual(first);
        expect(i).toEqual(before);
        expect(decideCancellation(before)).toEqual(first);
      }),
    );
  });

  it('a rejection carries a fee only when it is fee_changed, and then always the fee now', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const outcome = decideCancellation(i);
        if (outcome.kind !== 'rejected') return;
        if (outcome.reason === 'fee_changed') {
          expect(outcome.fee).toEqual(expect.objectContaining({ totalMinor: expect.any(Number) }));
        } else {
          expect(outcome).not.toHaveProperty('fee');
        }
      }),
    );
  });

  it('a cancelled booking its canceller owns is always already-cancelled, naming who, whatever the policy and write', () => {
    fc.assert(
      fc.property(inputArb, bookingArb, (i, b) => {
        const cancelled = { ...b, status: 'cancelled' as const };
        fc.pre(owns(i.canceller, cancelled));
        expect(decideCancellation({ ...i, booking: cancelled })).toEqual(
          alreadyCancelled(cancelled.cancelledBy),
        );
      }),
    );
  });

  it('a booking the canceller does not own (or that does not exist) always answers not_found', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const outcome = decideCancellation(i);
        const ownedBooking = i.booking !== null && owns(i.canceller, i.booking);
        expect(outcome.kind === 'rejected' && outcome.reason === 'not_found').toBe(!ownedBooking);
      }),
    );
  });

  it("an admin's outcome never depends on the policy's customer and fieldworker settings", () => {
    fc.assert(
      fc.property(inputArb, policyArb, (i, other) => {
        const asAdmin = { ...i, canceller: admin };
        expect(decideCancellation({ ...asAdmin, policy: other })).toEqual(decideCancellation(asAdmin));
      }),
    );
  });

  it('an admin may cancel exactly the bookings that have not started, at any time', () => {
    fc.assert(
      fc.property(inputArb, bookingArb, (i, b) => {
        const outcome = decideCancellation({ ...i, canceller: admin, booking: b, write: null });
        expect(outcome.kind === 'applied').toBe(isCancellableStatus(b.status));
      }),
    );
  });

  it("a customer's applied fee, if any, is quoteFee of the policy's rule on the price, inside the window only, and never 0", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const outcome = decideCancellation(i);
        if (outcome.kind !== 'applied' || i.canceller.role !== 'customer' || !i.booking) return;
        const setting = i.policy.customerFee;
        const inWindow =
          setting !== null && customerFeeApplies(setting.windowHours, i.booking.startsAt, i.now);
        const quote = setting && quoteFee(setting.rule, i.booking.priceMinor, i.booking.currency);
        // Nothing to pay (a free booking, a 0 % rule) is no fee.
        expect(outcome.fee).toEqual(
          setting && inWindow && quote && quote.totalMinor > 0
            ? { feeId: setting.feeId, name: setting.name, quote }
            : null,
        );
      }),
    );
  });

  it('staff are never charged the customer fee; a fieldworker never applies with a fee', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const outcome = decideCancellation(i);
        if (outcome.kind !== 'applied' || i.canceller.role === 'customer') return;
        if (i.canceller.role === 'fieldworker') expect(outcome.fee).toBeNull();
        else if (!i.write?.staffFee) expect(outcome.fee).toBeNull();
        else expect(outcome.fee?.quote.feeMinor).toBeLessThanOrEqual(i.booking?.priceMinor ?? -1);
      }),
    );
  });

  it("a preview and a write with a comment and the preview's fee agreed give the same outcome", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const preview = decideCancellation({ ...i, write: null });
        const agreed = preview.kind === 'applied' ? (preview.fee?.quote.totalMinor ?? null) : null;
        const full = decideCancellation({
          ...i,
          write: { comment: 'Plans changed', clientAt: null, agreedFeeTotalMinor: agreed },
        });
        expect(full).toEqual(preview);
      }),
    );
  });

  it('a preview never rejects for the write: no comment_required and no fee reasons', () => {
    const writeReasons: CancelRejection[] = [
      'comment_required',
      'fee_not_allowed',
      'fee_over_price',
      'fee_changed',
      'fee_no_longer_applies',
    ];
    fc.assert(
      fc.property(inputArb, (i) => {
        const outcome = decideCancellation({ ...i, write: null });
        if (outcome.kind === 'rejected') expect(writeReasons).not.toContain(outcome.reason);
      }),
    );
  });

  it('a customer allowed to cancel at some moment is also allowed at every earlier moment', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(30 * 24 * HOUR), (i, earlier) => {
        const preview = { ...i, canceller: customer, write: null };
        if (decideCancellation(preview).kind !== 'applied') return;
        const before = decideCancellation({ ...preview, now: new Date(i.now.getTime() - earlier) });
        expect(before.kind).toBe('applied');
      }),
    );
  });

  it('an applied cancel lists exactly what moved', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const outcome = decideCancellation(i);
        if (outcome.kind !== 'applied' || !i.booking) return;
        const w = i.write;
        const rescheduled =
          w?.sawStartsAt !== undefined && w.sawStartsAt.getTime() !== i.booking.startsAt.getTime();
        const reassigned =
          w?.sawFieldworkerId !== undefined && w.sawFieldworkerId !== i.booking.fieldworkerId;
        expect(outcome.changedMeanwhile).toEqual([
          ...(rescheduled ? ['rescheduled'] : []),
          ...(reassigned ? ['reassigned'] : []),
        ]);
      }),
    );
  });
});

// A model of the write path around the decision: it claims a write id with its first answer,
// answers a repeat with that stored answer, and cancels the booking when the outcome is applied.
class ModelServer {
  booking: BookingToCancel;
  readonly claims = new Map<string, CancelOutcome>();
  applies = 0;

  constructor(b: BookingToCancel) {
    this.booking = b;
  }

  receive(writeId: string, canceller: Canceller, w: CancelWrite): CancelOutcome {
    const claimed = this.claims.get(writeId);
    if (claimed) return claimed;
    const outcome = decideCancellation({
      now: WEEK_BEFORE,
      canceller,
      booking: this.booking,
      policy,
      write: w,
    });
    this.claims.set(writeId, outcome);
    if (outcome.kind === 'applied') {
      this.applies += 1;
      this.booking = {
        ...this.booking,
        status: 'cancelled',
        cancelledBy: { role: canceller.role, name: writeId },
      };
    }
    return outcome;
  }
}

describe('properties of repeated and interleaved deliveries', () => {
  const deviceArb = fc.constantFrom(customer, customerByLink, admin, fieldworker);

  it('several people and devices cancelling, each resending, in any order: exactly one applies', () => {
    const scenarioArb = fc
      .array(fc.tuple(deviceArb, fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 5 })
      .chain((devices) => {
        const deliveries = devices.flatMap(([, count], d) => Array.from({ length: count }, () => d));
        return fc.tuple(
          fc.constant(devices.map(([canceller]) => canceller)),
          fc.shuffledSubarray(deliveries, { minLength: deliveries.length, maxLength: deliveries.length }),
        );
      });
    fc.assert(
      fc.property(fc.constantFrom(...CANCELLABLE), scenarioArb, (status, [devices, order]) => {
        const server = new ModelServer(booking(status));
        const firstAnswer = new Map<number, CancelOutcome>();
        for (const d of order) {
          const canceller = devices[d];
          if (!canceller) throw new Error(`no device ${d}`);
          const answer = server.receive(
            `w-${d}`,
            canceller,
            write({ sawStartsAt: START, sawFieldworkerId: 'fw-1' }),
          );
          const first = firstAnswer.get(d);
          if (first) expect(answer).toBe(first);
          else firstAnswer.set(d, answer);
        }
        expect(server.applies).toBe(1);
        const firstDevice = order[0] ?? -1;
        expect(firstAnswer.get(firstDevice)).toEqual(applied());
        for (const [d, answer] of firstAnswer) {
          if (d === firstDevice) continue;
          expect(answer).toEqual(
            alreadyCancelled({ role: devices[firstDevice]?.role ?? 'system', name: `w-${firstDevice}` }),
          );
        }
      }),
    );
  });

  it('deciding again after an apply, with any write, is a no-op', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        fc.pre(i.booking !== null);
        const first = decideCancellation(i);
        if (first.kind !== 'applied' || !i.booking) return;
        const by: CancelledBy = { role: i.canceller.role, name: 'first' };
        const after = { ...i.booking, status: 'cancelled' as const, cancelledBy: by };
        expect(decideCancellation({ ...i, booking: after })).toEqual(alreadyCancelled(by));
      }),
    );
  });
});

describe('the sentences for every reason', () => {
  it.each(CANCEL_REJECTIONS)('%s has a full, non-empty sentence', (reason) => {
    const { message } = cancelRejection(reason);
    expect(message.trim()).not.toBe('');
    expect(message).toMatch(/^[A-Z].*\.$/);
  });

  it('every reason reads differently', () => {
    const messages = CANCEL_REJECTIONS.map((r) => cancelRejection(r).message);
    expect(new Set(messages).size).toBe(messages.length);
  });

  it('not_found says nothing about the booking, exactly like a missing one', () => {
    expect(cancelRejection('not_found')).toEqual({ code: 'NOT_FOUND', message: NO_SUCH_BOOKING });
    expect(NO_SUCH_BOOKING).not.toMatch(/cancel|started|completed|appointment|fee/i);
  });

  it('fee_changed names the fee that applies now', () => {
    expect(cancelRejection('fee_changed', LATE_QUOTE).message).toBe(
      'The cancellation fee is now $25.00 + $5.00 tax = $30.00. Please check it and press Cancel again.',
    );
  });
});

// Last: every reason code the table cases above produced. A code no case reaches is either dead
// or untested; both need a look.
describe('coverage of the reason codes', () => {
  it('every reason in CANCEL_REJECTIONS was produced by at least one case above', () => {
    expect([...produced].sort()).toEqual([...CANCEL_REJECTIONS].sort());
  });
});
