// The bookings as a virtual list (@tanstack/solid-virtual): only the rows in view, and a few
// either side, are in the page, and only a window around them is read from the replica
// (createLiveWindow), so 10,000 bookings scroll like 20. Every row has the same
// height, so the list never has to measure one, and a row's place never jumps.
import { A } from '@solidjs/router';
import { createVirtualizer } from '@tanstack/solid-virtual';
import { createEffect, For, Show } from 'solid-js';
import { formatDateTime } from '../../../shared/time.ts';
import type { LiveWindow } from '../../lib/replica/live.ts';
import { StatusBadge, WaitingToSync } from '../../lib/ui/SyncMarks.tsx';
import type { BookingListRow } from '../queries.ts';

/** Pixels; .virtual-row in admin.css has this height. */
export const ROW_HEIGHT = 88;

export function VirtualBookingList(props: {
  list: LiveWindow<BookingListRow>;
  timeZone: string;
  label: string;
}) {
  let scroller: HTMLElement | undefined;
  const count = () => props.list.total() ?? 0;
  const rowAt = (index: number) => props.list.rows()?.[index - props.list.offset()];
  const virtualizer = createVirtualizer({
    get count() {
      return count();
    },
    getScrollElement: () => scroller ?? null,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  createEffect(() => {
    const items = virtualizer.getVirtualItems();
    const [first, last] = [items[0], items.at(-1)];
    if (first && last) props.list.show(first.index, last.index + 1);
  });

  return (
    // A scroll region of its own: keyboard users reach it with Tab and scroll it with the arrows.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard
    <section ref={scroller} class="virtual-scroller" aria-label={props.label} tabIndex={0}>
      <ul class="virtual-list" style={{ height: `${virtualizer.getTotalSize()}px` }}>
        <For each={virtualizer.getVirtualItems()}>
          {(item) => {
            const row = () => rowAt(item.index);
            return (
              <Show
                when={row()}
                fallback={
                  <li class="virtual-row muted" style={{ transform: `translateY(${item.start}px)` }}>
                    Loading…
                  </li>
                }
              >
                {(b) => (
                  <li
                    class="virtual-row"
                    style={{ transform: `translateY(${item.start}px)` }}
                    aria-setsize={count()}
                    aria-posinset={item.index + 1}
                  >
                    <A href={`/bookings/${b().id}`} class="booking-row">
                      <span class="line">
                        <strong>{formatDateTime(b().starts_at, props.timeZone)}</strong>
                      </span>
                      <span class="line">
                        {b().customer_name ?? 'Unknown customer'} · {b().service_name ?? 'Unknown service'}
                      </span>
                      {/* The status first: it must never be the part cut off on a narrow screen. */}
                      <span class="line">
                        <StatusBadge status={b().status} />
                        <Show when={b().pending_write_id}>
                          {' '}
                          <WaitingToSync />
                        </Show>{' '}
                        <span class="muted">{b().fieldworker_name ?? 'Not assigned'}</span>
                      </span>
                    </A>
                  </li>
                )}
              </Show>
            );
          }}
        </For>
      </ul>
    </section>
  );
}
