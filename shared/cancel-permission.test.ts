// Tests for who may cancel: every denial reason and every allowed path per role, the cutoff and
// fee-window boundaries to the millisecond, and ownership winning over everything else.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookingStatus } from './booking-status.ts';
import { BOOKING_STATUSES } from './booking-status.ts';
import type { Actor, BookingForCancel, CancelDeniedReason, CancelPolicy } from './cancel-permission.ts';
import { CANCEL_DENIED_MESSAGES, customerFeeApplies, decideCancel } from './cancel-permission.ts';

const HOUR = 3_600_000;
const START = new Date('2030-06-10T09:00:00.000Z');
const at = (msFromStart: number) => new Date(START.getTime() + msFromStart);
const WEEK_BEFORE = at(-7 * 24 * HOUR);

const customer: Actor = { role: 'customer', customerId: 'cus-1' };
const otherCustomer: Actor = { role: 'customer', customerId: 'cus-2' };
const admin: Actor = { role: 'admin', userId: 'adm-1' };
const fieldworker: Actor = { role: 'fieldworker', userId: 'fw-1' };
const otherFieldworker: Actor = { role: 'fieldworker', userId: 'fw-2' };

const policy: CancelPolicy = {
  customerCancelEnabled: true,
  customerCancelCutoffHours: 24,
  fieldworkerCancelEnabled: true,
};

const booking = (
  status: BookingStatus = 'scheduled',
  over: Partial<BookingForCancel> = {},
): BookingForCancel => ({
  status,
  customerId: 'cus-1',
  fieldworkerId: 'fw-1',
  startsAt: START,
  ...over,
});

const denied = (reason: CancelDeniedReason) => ({ allowed: false, reason });
const allowed = { allowed: true };

describe('decideCancel: ownership comes first', () => {
  it.each(BOOKING_STATUSES)('another customer gets not_yours for a %s booking', (status) => {
    expect(decideCancel(otherCustomer, booking(status), policy, WEEK_BEFORE)).toEqual(denied('not_yours'));
  });

  it.each(BOOKING_STATUSES)('another fieldworker gets not_yours for a %s booking', (status) => {
    expect(decideCancel(otherFieldworker, booking(status), policy, WEEK_BEFORE)).toEqual(denied('not_yours'));
  });

  it('a fieldworker gets not_yours for an unassigned booking', () => {
    const unassigned = booking('scheduled', { fieldworkerId: null });
    expect(decideCancel(fieldworker, unassigned, policy, WEEK_BEFORE)).toEqual(denied('not_yours'));
  });

  it('not_yours wins over disabled flags and a passed start time', () => {
    const closed: CancelPolicy = { ...policy, customerCancelEnabled: false, fieldworkerCancelEnabled: false };
    expect(decideCancel(otherCustomer, booking(), closed, at(HOUR))).toEqual(denied('not_yours'));
    expect(decideCancel(otherFieldworker, booking(), closed, at(HOUR))).toEqual(denied('not_yours'));
  });

  it('a customer id equal to the fieldworker id does not make a customer the owner', () => {
    const b = booking('scheduled', { customerId: 'cus-9', fieldworkerId: 'cus-1' });
    expect(decideCancel(customer, b, policy, WEEK_BEFORE)).toEqual(denied('not_yours'));
  });
});

describe('decideCancel: status', () => {
  it.each([
    { actor: customer, status: 'cancelled', reason: 'already_cancelled' },
    { actor: customer, status: 'in_progress', reason: 'started' },
    { actor: customer, status: 'completed', reason: 'completed' },
    { actor: admin, status: 'cancelled', reason: 'already_cancelled' },
    { actor: admin, status: 'in_progress', reason: 'started' },
    { actor: admin, status: 'completed', reason: 'completed' },
    { actor: fieldworker, status: 'cancelled', reason: 'already_cancelled' },
    { actor: fieldworker, status: 'in_progress', reason: 'started' },
    { actor: fieldworker, status: 'completed', reason: 'completed' },
  ] as const)('$actor.role on a $status booking: $reason', ({ actor, status, reason }) => {
    expect(decideCancel(actor, booking(status), policy, WEEK_BEFORE)).toEqual(denied(reason));
  });

  it('status is checked before the flags', () => {
    const closed: CancelPolicy = { ...policy, customerCancelEnabled: false, fieldworkerCancelEnabled: false };
    expect(decideCancel(customer, booking('cancelled'), closed, WEEK_BEFORE)).toEqual(
      denied('already_cancelled'),
    );
    expect(decideCancel(fieldworker, booking('completed'), closed, WEEK_BEFORE)).toEqual(denied('completed'));
  });

  it('throws RangeError on a status it does not know', () => {
    const odd = booking('archived' as BookingStatus);
    expect(() => decideCancel(admin, odd, policy, WEEK_BEFORE)).toThrow(RangeError);
  });
});

describe('decideCancel: customer', () => {
  it.each(['requested', 'scheduled', 'confirmed'] as const)(
    'may cancel their own %s booking in time',
    (status) => {
      expect(decideCancel(customer, booking(status), policy, WEEK_BEFORE)).toEqual(allowed);
    },
  );

  it('is refused when the business has turned customer cancellation off', () => {
    const off = { ...policy, customerCancelEnabled: false };
    expect(decideCancel(customer, booking(), off, WEEK_BEFORE)).toEqual(denied('customer_cancel_disabled'));
  });

  it.each([
    { name: 'a week before', now: WEEK_BEFORE, result: allowed },
    { name: 'exactly at the cutoff', now: at(-24 * HOUR), result: allowed },
    { name: '1 ms after the cutoff', now: at(-24 * HOUR + 1), result: denied('too_close_to_start') },
    { name: '1 ms before the start', now: at(-1), result: denied('too_close_to_start') },
    { name: 'exactly at the start', now: START, result: denied('started') },
    { name: 'after the start', now: at(HOUR), result: denied('started') },
  ])('with a 24 h cutoff, $name', ({ now, result }) => {
    expect(decideCancel(customer, booking(), policy, now)).toEqual(result);
  });

  it.each([
    { name: '1 ms before the start', now: at(-1), result: allowed },
    { name: 'exactly at the start', now: START, result: denied('started') },
  ])('with cutoff 0 (until it starts), $name', ({ now, result }) => {
    const untilStart = { ...policy, customerCancelCutoffHours: 0 };
    expect(decideCancel(customer, booking(), untilStart, now)).toEqual(result);
  });

  it('judges a start time that has passed as started even while the status says scheduled', () => {
    const noCutoff = { ...policy, customerCancelCutoffHours: 0 };
    expect(decideCancel(customer, booking('confirmed'), noCutoff, at(1))).toEqual(denied('started'));
  });

  it('flag off wins over the time checks', () => {
    const off = { ...policy, customerCancelEnabled: false };
    expect(decideCancel(customer, booking(), off, at(HOUR))).toEqual(denied('customer_cancel_disabled'));
  });

  it('honours fractional cutoff hours', () => {
    const halfHour = { ...policy, customerCancelCutoffHours: 0.5 };
    expect(decideCancel(customer, booking(), halfHour, at(-HOUR / 2))).toEqual(allowed);
    expect(decideCancel(customer, booking(), halfHour, at(-HOUR / 2 + 1))).toEqual(
      denied('too_close_to_start'),
    );
  });
});

describe('decideCancel: admin', () => {
  it.each(['requested', 'scheduled', 'confirmed'] as const)('may cancel any %s booking', (status) => {
    expect(
      decideCancel(
        admin,
        booking(status, { customerId: 'anyone', fieldworkerId: null }),
        policy,
        WEEK_BEFORE,
      ),
    ).toEqual(allowed);
  });

  it('may cancel past the start and inside the cutoff, whatever the flags', () => {
    const closed: CancelPolicy = { ...policy, customerCancelEnabled: false, fieldworkerCancelEnabled: false };
    expect(decideCancel(admin, booking(), closed, at(-1))).toEqual(allowed);
    expect(decideCancel(admin, booking(), closed, at(5 * HOUR))).toEqual(allowed);
  });
});

describe('decideCancel: fieldworker', () => {
  it.each(['requested', 'scheduled', 'confirmed'] as const)('may cancel their own %s booking', (status) => {
    expect(decideCancel(fieldworker, booking(status), policy, WEEK_BEFORE)).toEqual(allowed);
  });

  it('is refused when the business has turned fieldworker cancellation off', () => {
    const off = { ...policy, fieldworkerCancelEnabled: false };
    expect(decideCancel(fieldworker, booking(), off, WEEK_BEFORE)).toEqual(
      denied('fieldworker_cancel_disabled'),
    );
  });

  it('is not bound by the customer flag or cutoff', () => {
    const customerOff = { ...policy, customerCancelEnabled: false };
    expect(decideCancel(fieldworker, booking(), customerOff, at(-1))).toEqual(allowed);
  });
});

describe('decideCancel: bad input', () => {
  it.each([
    { name: 'invalid now', now: new Date(Number.NaN), b: booking(), p: policy },
    {
      name: 'invalid startsAt',
      now: WEEK_BEFORE,
      b: booking('scheduled', { startsAt: new Date('nope') }),
      p: policy,
    },
    {
      name: 'negative cutoff',
      now: WEEK_BEFORE,
      b: booking(),
      p: { ...policy, customerCancelCutoffHours: -1 },
    },
    {
      name: 'infinite cutoff',
      now: WEEK_BEFORE,
      b: booking(),
      p: { ...policy, customerCancelCutoffHours: Number.POSITIVE_INFINITY },
    },
  ])('throws RangeError on $name', ({ now, b, p }) => {
    expect(() => decideCancel(customer, b, p, now)).toThrow(RangeError);
  });
});

describe('decideCancel properties', () => {
  const actorArb = fc.constantFrom(customer, otherCustomer, admin, fieldworker, otherFieldworker);
  const statusArb = fc.constantFrom(...BOOKING_STATUSES);
  const policyArb = fc.record({
    customerCancelEnabled: fc.boolean(),
    customerCancelCutoffHours: fc.integer({ min: 0, max: 24 * 14 }),
    fieldworkerCancelEnabled: fc.boolean(),
  });
  const offsetArb = fc.integer({ min: -30 * 24 * HOUR, max: 30 * 24 * HOUR });

  it('only ever allows a cancel when the status is cancellable and the actor owns it or is an admin', () => {
    fc.assert(
      fc.property(actorArb, statusArb, policyArb, offsetArb, (actor, status, p, offset) => {
        const b = booking(status);
        const decision = decideCancel(actor, b, p, at(offset));
        if (!decision.allowed) return;
        expect(['requested', 'scheduled', 'confirmed']).toContain(status);
        if (actor.role === 'customer') expect(actor.customerId).toBe(b.customerId);
        if (actor.role === 'fieldworker') expect(actor.userId).toBe(b.fieldworkerId);
      }),
    );
  });

  it('an admin is allowed exactly when the status is cancellable, at any time', () => {
    fc.assert(
      fc.property(statusArb, policyArb, offsetArb, (status, p, offset) => {
        const decision = decideCancel(admin, booking(status), p, at(offset));
        expect(decision.allowed).toBe(['requested', 'scheduled', 'confirmed'].includes(status));
      }),
    );
  });

  it('a customer allowed at some moment is also allowed at every earlier moment', () => {
    fc.assert(
      fc.property(policyArb, offsetArb, fc.nat(30 * 24 * HOUR), (p, offset, earlier) => {
        if (decideCancel(customer, booking(), p, at(offset)).allowed) {
          expect(decideCancel(customer, booking(), p, at(offset - earlier)).allowed).toBe(true);
        }
      }),
    );
  });
});

describe('CANCEL_DENIED_MESSAGES', () => {
  it.each([
    ['already_cancelled', 'This booking has already been cancelled.'],
    [
      'too_close_to_start',
      'This appointment is too close to its start time to cancel online. Please contact us to cancel.',
    ],
  ] as const)('%s reads %j', (reason, text) => {
    expect(CANCEL_DENIED_MESSAGES[reason]).toBe(text);
  });

  it('has a distinct full sentence for every reason', () => {
    const messages = Object.values(CANCEL_DENIED_MESSAGES);
    expect(Object.keys(CANCEL_DENIED_MESSAGES).sort()).toEqual(
      [
        'already_cancelled',
        'completed',
        'customer_cancel_disabled',
        'fieldworker_cancel_disabled',
        'not_yours',
        'started',
        'too_close_to_start',
      ].sort(),
    );
    expect(new Set(messages).size).toBe(messages.length);
    for (const m of messages) expect(m).toMatch(/^[A-Z].*\.$/);
  });

  it('not_yours says nothing about the booking', () => {
    expect(CANCEL_DENIED_MESSAGES.not_yours).not.toMatch(/cancelled|started|completed|appointment/i);
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
  ])('$name → $applies', ({ window, now, applies }) => {
    expect(customerFeeApplies(window, START, now)).toBe(applies);
  });

  it.each([
    { name: 'negative window', window: -1, startsAt: START, now: WEEK_BEFORE },
    { name: 'NaN window', window: Number.NaN, startsAt: START, now: WEEK_BEFORE },
    { name: 'invalid startsAt', window: 24, startsAt: new Date(Number.NaN), now: WEEK_BEFORE },
    { name: 'invalid now', window: 24, startsAt: START, now: new Date(Number.NaN) },
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
