// A new booking from the admin app (online, or replayed from an offline queue), through the one
// write path. The booking and, when the office adds one, the customer carry ids made on the
// device, so the app can show and open them before the server has seen them; a repeat of the
// write gets the first answer, and an id already taken by another write is refused, never
// overwritten. The booking trigger then writes the 'created' event and queues the
// confirmation email and the reminder.
import type { z } from 'zod';
import { createRejection } from '../../shared/outcomes.ts';
import type { NewBookingInput } from '../../shared/schemas.ts';
import { setActor } from '../db/actor.ts';
import { bookingReferences, insertScheduledBooking } from '../db/bookings.ts';
import { insertCustomer } from '../db/customers.ts';
import type { Pool } from '../db/pool.ts';
import { readSettings } from '../db/settings.ts';
import { acceptWrite, performWrite, rejectWrite, writerOf } from './write.ts';

export type CreateResponse = { outcome: 'created'; id: string };

export function createBooking(
  pool: Pool,
  admin: { readonly userId: string },
  input: z.output<typeof NewBookingInput>,
): Promise<CreateResponse & { txid: string }> {
  const { writeId, ...booking } = input;
  const payload = {
    procedure: 'bookings.create',
    by: writerOf({ role: 'admin', userId: admin.userId }),
    input: booking,
  };
  return performWrite<CreateResponse>(pool, { writeId, payload }, async (db) => {
    const reject = (reason: Parameters<typeof createRejection>[0]) => {
      const { code, message } = createRejection(reason);
      return rejectWrite(code, message);
    };
    const settings = await readSettings(db);
    if (!settings) throw new Error('business_settings has no row');
    const customer = booking.customer;
    const refs = await bookingReferences(db, {
      customerId: customer.kind === 'existing' ? customer.id : null,
      serviceId: booking.serviceId,
      fieldworkerId: booking.fieldworkerId,
    });
    if (!refs.customer) return reject('unknown_customer');
    if (!refs.service) return reject('unknown_service');
    if (!refs.fieldworker) return reject('unknown_fieldworker');

    if (customer.kind === 'new' && (await insertCustomer(db, customer)) === 'email_taken') {
      return reject('customer_email_taken');
    }
    await setActor(db, {
      role: 'admin',
      userId: admin.userId,
      channel: 'admin_app',
      clientAt: booking.clientAt ?? null,
      writeId,
    });
    const made = await insertScheduledBooking(db, {
      id: booking.id,
      customerId: customer.id,
      serviceId: booking.serviceId,
      fieldworkerId: booking.fieldworkerId,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      address: booking.address,
      notes: booking.notes,
      priceMinor: booking.priceMinor,
      currency: settings.currency,
      writeId,
    });
    if (!made) return reject('booking_exists');
    return acceptWrite({ outcome: 'created', id: booking.id });
  });
}
