// My schedule: today's jobs and the coming days', grouped by day on the business's clock, each
// with its time, service and address; a cancelled job stays, marked in words, so the
// fieldworker sees what changed. Read from the replica: works offline.
import { A } from '@solidjs/router';
import { createMemo, For, Show } from 'solid-js';
import { StatusBadge, WaitingToSync } from '../../lib/ui/SyncMarks.tsx';
import { dayHeading, instantFromInputs, zonedDay, zonedTime } from '../../lib/zoned-time.ts';
import { type ScheduleRow, useFieldBusiness, useSchedule } from '../queries.ts';

export function Schedule() {
  const business = useFieldBusiness();
  const zone = () => business.row()?.time_zone;
  const from = createMemo(() => {
    const z = zone();
    return z ? instantFromInputs(zonedDay(new Date(), z), '00:00', z) : null;
  });
  const schedule = useSchedule(from);
  const days = createMemo(() => {
    const z = zone();
    const rows = schedule.rows();
    if (!z || !rows) return undefined;
    const byDay = new Map<string, ScheduleRow[]>();
    for (const row of rows) {
      const day = zonedDay(row.starts_at, z);
      byDay.set(day, [...(byDay.get(day) ?? []), row]);
    }
    return [...byDay.entries()].map(([day, jobs]) => ({ day, heading: dayHeading(day, z), jobs }));
  });

  return (
    <section aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">My schedule</h2>
      <Show when={days()} fallback={<p role="status">Loading your schedule on this device…</p>}>
        {(list) => (
          <For
            each={list()}
            fallback={<p>No jobs from today on. New ones appear here as they are assigned.</p>}
          >
            {(group) => (
              <section class="day" aria-label={group.heading}>
                <h3>{group.heading}</h3>
                <ul
                  class="list"
                  aria-label={`Jobs ${group.heading === 'Today' ? 'today' : `on ${group.heading}`}`}
                >
                  <For each={group.jobs}>
                    {(job) => (
                      <li classList={{ cancelled: job.status === 'cancelled' }}>
                        <A href={`/bookings/${job.id}`}>
                          {zonedTime(job.starts_at, zone() ?? 'UTC')}–
                          {zonedTime(job.ends_at, zone() ?? 'UTC')} · {job.service_name ?? 'Job'}
                        </A>
                        <p class="muted small">{job.address}</p>
                        <Show when={job.status !== 'scheduled'}>
                          <StatusBadge status={job.status} />{' '}
                        </Show>
                        <Show when={job.pending_write_id}>
                          <WaitingToSync />
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            )}
          </For>
        )}
      </Show>
    </section>
  );
}
