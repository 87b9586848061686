import { describe, expect, it } from 'vitest';
import { batchOf } from './sender.ts';

const write = (procedure: string, id: string, table = 'bookings') => ({
  procedure,
  entity_table: table,
  entity_id: id,
});

describe('batchOf: which queued writes go in one request', () => {
  it('takes consecutive writes to different records', () => {
    const queued = [
      write('bookings.cancel', 'a'),
      write('bookings.cancel', 'b'),
      write('bookings.update', 'c'),
    ];
    expect(batchOf(queued)).toEqual(queued);
  });

  it('stops before a second write to a record already in the batch, keeping their order', () => {
    const queued = [
      write('bookings.update', 'a'),
      write('bookings.cancel', 'b'),
      write('bookings.cancel', 'a'),
    ];
    expect(batchOf(queued)).toEqual(queued.slice(0, 2));
    expect(batchOf(queued.slice(2))).toEqual([queued[2]]);
  });

  it('tells records of different tables apart', () => {
    const queued = [write('customers.update', 'a', 'customers'), write('bookings.cancel', 'a')];
    expect(batchOf(queued)).toEqual(queued);
  });

  it('ends a batch with a create: what follows may depend on it', () => {
    const queued = [
      write('bookings.cancel', 'a'),
      write('bookings.create', 'b'),
      write('bookings.update', 'b'),
    ];
    expect(batchOf(queued)).toEqual(queued.slice(0, 2));
  });

  it('sends a create first in a batch on its own when it leads', () => {
    const queued = [write('bookings.create', 'b'), write('bookings.cancel', 'c')];
    expect(batchOf(queued)).toEqual([queued[0]]);
  });

  it('is empty for an empty queue', () => {
    expect(batchOf([])).toEqual([]);
  });
});
