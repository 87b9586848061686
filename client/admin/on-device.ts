// The admin screens' writes go to the device first: what can go wrong there is input the shared
// schema refused, or the local database not answering. Both already carry a sentence for the
// person; this hands it to the form's error line (createAction shows a UserFacingError as is).
import { UserFacingError } from '../lib/errors.ts';
import { ReplicaTimeout } from '../lib/replica/open-replica.ts';
import { InvalidInput } from '../lib/writes/booking-writes.ts';

export async function onDevice<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InvalidInput || error instanceof ReplicaTimeout)
      throw new UserFacingError(error.message);
    throw error;
  }
}

/** Said after a write is on the device: true online or off, and honest about what happens next. */
export const SAVED_ON_DEVICE = 'Saved on this device. It is sent to the server as soon as it can be.';
