// Booking statuses, their display labels and the one transition table every side obeys.
// Pure data and predicates: the server, the apps and (through server/db/status-transitions.ts)
// the database trigger that refuses any other status change read the same rules.

export const BOOKING_STATUSES = [
  'requested',
  'scheduled',
  'confirmed',
  'in_progress',
  'completed',
  'cancelled',
] as const;

export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const STATUS_LABELS: Readonly<Record<BookingStatus, string>> = {
  requested: 'Requested',
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Canceled', // US spelling, as the portal shows it
};

// Frozen so a caller that pushes into a returned list cannot change the rules for everyone else.
const TRANSITIONS: { readonly [S in BookingStatus]: readonly BookingStatus[] } = {
  requested: Object.freeze(['scheduled', 'cancelled'] as const),
  scheduled: Object.freeze(['confirmed', 'in_progress', 'cancelled'] as const),
  // The customer may take back a confirmation, so confirmed can go back to scheduled.
  confirmed: Object.freeze(['scheduled', 'in_progress', 'cancelled'] as const),
  // Once work has begun the booking can only finish: stopping a started job is not a cancellation.
  in_progress: Object.freeze(['completed'] as const),
  completed: Object.freeze([] as const),
  cancelled: Object.freeze([] as const),
};

/** The statuses a booking in `from` may move to next (empty for terminal statuses). */
export function allowedTransitions(from: BookingStatus): readonly BookingStatus[] {
  return TRANSITIONS[from];
}

/** Not started, not finished, not already cancelled: the machine allows a move to 'cancelled'. */
export function isCancellableStatus(status: BookingStatus): boolean {
  // `?? []`: a status from broken data (not in the table) is simply not cancellable.
  return (TRANSITIONS[status] ?? []).includes('cancelled');
}
