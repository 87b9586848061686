// Bookings › All bookings: every booking on the device, filtered and sorted by start in SQL,
// shown as a virtual list that reads only the rows around what is on screen. The filters live in the page's address, so coming back from a
// booking finds them as they were.
import { useSearchParams } from '@solidjs/router';
import { createMemo, Match, Show, Switch } from 'solid-js';
import { BOOKING_STATUSES, type BookingStatus } from '../../../shared/booking-status.ts';
import { createLiveWindow } from '../../lib/replica/live.ts';
import { instantFromInputs } from '../../lib/zoned-time.ts';
import { BookingFilters, type FilterValues } from '../components/BookingFilters.tsx';
import { UnseenCancellations } from '../components/UnseenCancellations.tsx';
import { VirtualBookingList } from '../components/VirtualBookingList.tsx';
import { dayAfterStart, isCalendarDate, paramText, plural } from '../format.ts';
import {
  type BookingListFilters,
  type BookingListRow,
  bookingListQuery,
  useBusiness,
  useFieldworkers,
} from '../queries.ts';

export function AllBookings() {
  const [search, setSearch] = useSearchParams();
  const business = useBusiness();
  const fieldworkers = useFieldworkers();

  const values = createMemo(
    (): FilterValues => ({
      status: paramText(search.status),
      from: paramText(search.from),
      to: paramText(search.to),
      fieldworker: paramText(search.fieldworker),
      customer: paramText(search.customer),
    }),
  );
  const change = (next: Partial<FilterValues>) =>
    setSearch(
      // An empty filter leaves the address rather than sitting in it as "?status=".
      Object.fromEntries(Object.entries(next).map(([k, v]) => [k, v ? v : null])),
      { replace: true },
    );

  // The zone as a string, not the settings row: every sync of that row brings a new object,
  // and the list's query must not be rebuilt (setting up a live query is the slow part).
  const timeZone = createMemo(() => business.row()?.time_zone);
  const list = createLiveWindow<BookingListRow>(() => {
    const v = values();
    // Only the date filters need the business's zone: without them the list need not wait for
    // the settings row (on a warm start, every live query set up first delays the first row).
    const zone = timeZone();
    if (!zone && (isCalendarDate(v.from) || isCalendarDate(v.to))) return null;
    const filters: BookingListFilters = {
      status: (BOOKING_STATUSES as readonly string[]).includes(v.status) ? (v.status as BookingStatus) : null,
      from: zone && isCalendarDate(v.from) ? instantFromInputs(v.from, '00:00', zone) : null,
      before: zone && isCalendarDate(v.to) ? dayAfterStart(v.to, zone) : null,
      fieldworker: v.fieldworker || null,
      customer: v.customer.trim() || null,
    };
    return bookingListQuery(filters);
  });
  const filtered = () => Object.values(values()).some(Boolean);

  return (
    <section class="all-bookings" aria-labelledby="all-bookings-heading">
      <h2 id="all-bookings-heading">All bookings</h2>
      <UnseenCancellations />
      <Show when={business.row()} fallback={<p role="status">Loading the bookings on this device…</p>}>
        {(b) => (
          <>
            <BookingFilters
              values={values()}
              onChange={change}
              fieldworkers={fieldworkers.rows() ?? []}
              timeZone={b().time_zone}
            />
            <Switch>
              <Match when={list.error()}>
                <p class="error" role="alert">
                  {list.error()}
                </p>
              </Match>
              <Match when={list.total() === undefined}>
                <p role="status">Loading the bookings on this device…</p>
              </Match>
              <Match when={list.total() !== undefined}>
                <p class="list-count" role="status">
                  <Show when={list.counted()} fallback="Counting the bookings…">
                    {plural(list.total() ?? 0, 'booking', 'bookings')}
                    {filtered() ? ' match these filters' : ''}, sorted by start
                  </Show>
                </p>
                <Show
                  when={list.total()}
                  fallback={
                    <p class="muted">
                      {filtered() ? 'No bookings match these filters.' : 'There are no bookings yet.'}
                    </p>
                  }
                >
                  <VirtualBookingList
                    list={list}
                    timeZone={b().time_zone}
                    label="Bookings, sorted by start"
                  />
                </Show>
              </Match>
            </Switch>
          </>
        )}
      </Show>
    </section>
  );
}
