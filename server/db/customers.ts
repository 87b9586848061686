// Customers as the office adds them (with a new booking, offline too) and edits them (the admin
// app's Customers screen). An email belongs to one customer (any case): the
// customers_email_key index says so, and these functions say it first, as an answer rather
// than an error.
import type { Queryable } from './queryable.ts';

export interface CustomerRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string | null;
  readonly address: string | null;
}

/** Adds the customer, or changes it if its id exists; `email_taken` when another customer has that email. */
export async function saveCustomer(
  db: Queryable,
  c: { id: string; name: string; email: string; phone: string; address: string },
): Promise<CustomerRecord | 'email_taken'> {
  const { rowCount } = await db.query('SELECT 1 FROM customers WHERE lower(email) = lower($1) AND id <> $2', [
    c.email,
    c.id,
  ]);
  if (rowCount) return 'email_taken';
  const { rows } = await db.query<CustomerRecord>(
    `INSERT INTO customers (id, name, email, phone, address) VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''))
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone,
       address = EXCLUDED.address
     RETURNING id, name, email, phone, address`,
    [c.id, c.name, c.email, c.phone, c.address],
  );
  return rows[0] as CustomerRecord;
}

/**
 * Adds a customer with the id made on the device. `email_taken`: another customer has that
 * email (any case). `exists`: this very customer (same id, same email) was added already, by
 * an earlier write from the same device, so the booking can go to them.
 */
export async function insertCustomer(
  db: Queryable,
  c: { id: string; name: string; email: string; phone: string; address: string },
): Promise<'inserted' | 'exists' | 'email_taken'> {
  const inserted = await db.query(
    `INSERT INTO customers (id, name, email, phone, address) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [c.id, c.name, c.email, c.phone || null, c.address || null],
  );
  if (inserted.rowCount) return 'inserted';
  const { rows } = await db.query('SELECT 1 FROM customers WHERE id = $1 AND lower(email) = lower($2)', [
    c.id,
    c.email,
  ]);
  return rows.length ? 'exists' : 'email_taken';
}
