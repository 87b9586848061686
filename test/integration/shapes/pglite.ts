// A local replica as the apps keep one: an in-memory PGlite filled by @electric-sql/pglite-sync
// (unmodified, with the 1.0 client it brings), and a comparison of its rows with the server's.
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import type pg from 'pg';

export type Replica = PGlite & {
  electric: {
    syncShapeToTable(options: {
      shape: { url: string; params: Record<string, string> };
      table: string;
      primaryKey: string[];
      shapeKey: string | null;
      onError?: (e: Error) => void;
    }): Promise<{
      unsubscribe(): void;
      readonly isUpToDate: boolean;
      stream: { subscribe(cb: (m: unknown[]) => void): () => void };
    }>;
  };
};

export async function createReplica(): Promise<Replica> {
  return (await PGlite.create({ extensions: { electric: electricSync() } })) as unknown as Replica;
}

/** Creates `table` in the replica with the server's column names and types (no constraints but the key). */
export async function copyTableDefinition(server: pg.Pool, replica: PGlite, table: string): Promise<void> {
  const { rows } = await server.query<{ name: string; type: string; pk: boolean }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY (i.indkey)) AS pk
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  const columns = rows.map((r) => `"${r.name}" ${r.type}`);
  const pk = rows.filter((r) => r.pk).map((r) => `"${r.name}"`);
  await replica.exec(`CREATE TABLE "${table}" (${columns.join(', ')}, PRIMARY KEY (${pk.join(', ')}))`);
}

/** Every row of `table` as JSON text, in key order, written the same way on both sides. */
async function snapshotOf(q: (sql: string) => Promise<{ rows: unknown[] }>, table: string, key: string) {
  await q(`SET TimeZone = 'UTC'`);
  await q(`SET DateStyle = 'ISO, DMY'`);
  const { rows } = await q(`SELECT row_to_json(t)::text AS j FROM "${table}" t ORDER BY "${key}"`);
  return rows.map((r) => (r as { j: string }).j);
}

/** True when the replica holds exactly the server's rows of `table`, value for value. */
export async function sameRows(
  server: pg.Pool,
  replica: PGlite,
  table: string,
  key = 'id',
): Promise<boolean> {
  const client = await server.connect();
  try {
    const a = await snapshotOf((sql) => client.query(sql), table, key);
    const b = await snapshotOf((sql) => replica.query(sql), table, key);
    return a.length === b.length && a.every((row, i) => row === b[i]);
  } finally {
    client.release();
  }
}
