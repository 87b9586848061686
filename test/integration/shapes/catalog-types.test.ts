// The shape catalog's types and primary keys (shared/shape-catalog.ts) against the real,
// migrated database, so a migration that changes a synced column cannot leave the browser
// replica's schema believing something else.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PgType, SYNCED_TABLES } from '../../../shared/shape-catalog.ts';
import { freshDatabase } from '../helpers.ts';

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: await freshDatabase() });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
});

/** information_schema's name of a type, as migrations/ spell it (and the catalog records it). */
function spelled(udtName: string, length: number | null): string {
  const names: Record<string, string> = { bool: 'boolean', int4: 'integer', int8: 'bigint' };
  if (udtName === 'bpchar') return `char(${length})`;
  return names[udtName] ?? udtName;
}

it.each(Object.entries(SYNCED_TABLES))(
  '%s: every listed column exists with the listed type',
  async (table, entry) => {
    const { rows } = await db.query<{
      column_name: string;
      udt_name: string;
      character_maximum_length: number | null;
    }>(
      `SELECT column_name, udt_name, character_maximum_length
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1`,
      [table],
    );
    const actual = new Map(rows.map((r) => [r.column_name, spelled(r.udt_name, r.character_maximum_length)]));
    expect(actual.size, `table ${table} exists`).toBeGreaterThan(0);
    const listed: Record<string, PgType> = entry.columns;
    const wrong = Object.entries(listed)
      .filter(([column, type]) => actual.get(column) !== type)
      .map(
        ([column, type]) =>
          `${table}.${column}: catalog says ${type}, database has ${actual.get(column) ?? 'no such column'}`,
      );
    expect(wrong).toEqual([]);
  },
);

it.each(Object.entries(SYNCED_TABLES))('%s: the listed primary key is the table’s', async (table, entry) => {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT k.column_name
       FROM information_schema.table_constraints c
       JOIN information_schema.key_column_usage k
         ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
      WHERE c.table_schema = 'public' AND c.table_name = $1 AND c.constraint_type = 'PRIMARY KEY'
      ORDER BY k.ordinal_position`,
    [table],
  );
  expect(rows.map((r) => r.column_name)).toEqual(entry.primaryKey);
});
