// Tests for the booking status machine: every (from, to) pair against the table in one place.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookingStatus } from './booking-status.ts';
import {
  allowedTransitions,
  BOOKING_STATUSES,
  isCancellableStatus,
  STATUS_LABELS,
} from './booking-status.ts';

// Written out again on purpose: the test is a second statement of the rules, not a copy of the code.
const EXPECTED: Record<BookingStatus, BookingStatus[]> = {
  requested: ['scheduled', 'cancelled'],
  scheduled: ['confirmed', 'in_progress', 'cancelled'],
  confirmed: ['scheduled', 'in_progress', 'cancelled'],
  in_progress: ['completed'],
  completed: [],
  cancelled: [],
};

const allPairs = BOOKING_STATUSES.flatMap((from) =>
  BOOKING_STATUSES.map((to) => ({ from, to, allowed: EXPECTED[from].includes(to) })),
);

/** A move the machine allows. */
const canTransition = (from: BookingStatus, to: BookingStatus) => allowedTransitions(from).includes(to);

const statusArb = fc.constantFrom(...BOOKING_STATUSES);

describe('BOOKING_STATUSES and STATUS_LABELS', () => {
  it('lists the six statuses in lifecycle order', () => {
    expect(BOOKING_STATUSES).toEqual([
      'requested',
      'scheduled',
      'confirmed',
      'in_progress',
      'completed',
      'cancelled',
    ]);
  });

  it.each([
    ['requested', 'Requested'],
    ['scheduled', 'Scheduled'],
    ['confirmed', 'Confirmed'],
    ['in_progress', 'In progress'],
    ['completed', 'Completed'],
    ['cancelled', 'Canceled'],
  ] as const)('labels %s as %s', (status, label) => {
    expect(STATUS_LABELS[status]).toBe(label);
  });

  it('has a label for exactly the known statuses', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...BOOKING_STATUSES].sort());
  });
});

describe('the transition table, pair by pair', () => {
  it.each(allPairs)('$from → $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
  });
});

describe('allowedTransitions', () => {
  it.each(BOOKING_STATUSES)('lists the next statuses of %s', (from) => {
    expect([...allowedTransitions(from)]).toEqual(EXPECTED[from]);
  });

  it.each(['completed', 'cancelled'] as const)('%s is terminal', (from) => {
    expect(allowedTransitions(from)).toHaveLength(0);
  });

  it('cannot be changed through the returned list', () => {
    const next = allowedTransitions('requested') as BookingStatus[];
    expect(() => next.push('completed')).toThrow(TypeError);
    expect(canTransition('requested', 'completed')).toBe(false);
  });

  it('agrees with canTransition for every pair', () => {
    fc.assert(
      fc.property(statusArb, statusArb, (from, to) => {
        expect(allowedTransitions(from).includes(to)).toBe(canTransition(from, to));
      }),
    );
  });

  it('never allows staying in place or returning to requested', () => {
    fc.assert(
      fc.property(statusArb, (from) => {
        expect(canTransition(from, from)).toBe(false);
        expect(canTransition(from, 'requested')).toBe(false);
      }),
    );
  });
});

describe('isCancellableStatus', () => {
  it.each([
    { status: 'requested', cancellable: true },
    { status: 'scheduled', cancellable: true },
    { status: 'confirmed', cancellable: true },
    { status: 'in_progress', cancellable: false },
    { status: 'completed', cancellable: false },
    { status: 'cancelled', cancellable: false },
  ] as const)('$status: cancellable $cancellable', ({ status, cancellable }) => {
    expect(isCancellableStatus(status)).toBe(cancellable);
  });

  it('cancellable means the machine allows a move to cancelled', () => {
    fc.assert(
      fc.property(statusArb, (status) => {
        expect(isCancellableStatus(status)).toBe(canTransition(status, 'cancelled'));
      }),
    );
  });
});
