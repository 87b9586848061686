// The replica's schema, made from the shape catalog (shared/shape-catalog.ts) for one role, in
// the pattern Electric calls "through the database":
//   <table>_synced  read-only copy filled by pglite-sync from the gatekeeper's shape;
//   <table>_local   the overlay: full rows as this device's waiting writes would leave them;
//   <table>         a view: the overlay row where there is one, else the synced row, with
//                   `pending_write_id` saying which waiting write shaped it (null: none);
//   pending_writes  the queue the write sender (writes/sender.ts) sends in order.
// Screens only read the views; only writes/ touches the overlays and the queue.
import type { PGliteInterface } from '@electric-sql/pglite';
import {
  type PgType,
  SHAPE_CATALOG,
  type ShapeName,
  type ShapeRole,
  SYNCED_TABLES,
  type SyncedTable,
  shapeView,
} from '../../../shared/shape-catalog.ts';

export interface ReplicaTable {
  readonly shape: ShapeName;
  readonly table: SyncedTable;
  readonly primaryKey: readonly string[];
  readonly columns: readonly { readonly name: string; readonly type: PgType }[];
}

/** The tables one role's replica holds: every shape the catalog gives that role. */
export function replicaTables(role: ShapeRole): ReplicaTable[] {
  return (Object.keys(SHAPE_CATALOG) as ShapeName[]).flatMap((shape) => {
    const view = shapeView(shape, role);
    if (!view) return [];
    return [
      { shape, table: view.table, primaryKey: SYNCED_TABLES[view.table].primaryKey, columns: view.columns },
    ];
  });
}

export const syncedName = (table: string) => `${table}_synced`;
export const overlayName = (table: string) => `${table}_local`;

/** Tables whose rows carry the write that last changed them: their overlay row goes when it arrives. */
const hasLastWriteId = (t: ReplicaTable) => t.columns.some((c) => c.name === 'last_write_id');

/** The DDL for one role, idempotent. Its text is its version: a change rebuilds the replica. */
export function replicaSchema(role: ShapeRole): string {
  const statements: string[] = [
    `CREATE TABLE IF NOT EXISTS pending_writes (
      seq bigserial PRIMARY KEY,
      write_id uuid NOT NULL UNIQUE,
      user_id uuid NOT NULL,
      procedure text NOT NULL,
      input jsonb NOT NULL,
      -- What the write is about, for "waiting" marks and Not applied lines.
      entity_table text NOT NULL,
      entity_id text NOT NULL,
      summary text NOT NULL,
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'applied', 'rejected')),
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      answer jsonb,
      txid text
    )`,
  ];
  for (const t of replicaTables(role)) {
    const synced = syncedName(t.table);
    const overlay = overlayName(t.table);
    const columnDefs = t.columns.map((c) => `${c.name} ${c.type}`).join(', ');
    const pk = t.primaryKey.join(', ');
    const names = t.columns.map((c) => c.name).join(', ');
    const samePk = t.primaryKey.map((k) => `l.${k} = s.${k}`).join(' AND ');
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${synced} (${columnDefs}, PRIMARY KEY (${pk}))`,
      `CREATE TABLE IF NOT EXISTS ${overlay} (${columnDefs}, pending_write_id uuid NOT NULL, PRIMARY KEY (${pk}))`,
      `CREATE OR REPLACE VIEW ${t.table} AS
         SELECT ${names}, pending_write_id FROM ${overlay}
         UNION ALL
         SELECT ${names}, NULL::uuid FROM ${synced} s
          WHERE NOT EXISTS (SELECT 1 FROM ${overlay} l WHERE ${samePk})`,
    );
    if (hasLastWriteId(t)) {
      // The server stores the write id on the row it changed: when that version arrives, the
      // overlay row has done its job. A later waiting write on the same row keeps its own.
      // Once per statement, over the rows it wrote: a first sync inserts 10,000 bookings in
      // one (a trigger per row cost a DELETE each). Postgres allows a transition table on a
      // trigger of one event only, hence two.
      statements.push(
        `CREATE OR REPLACE FUNCTION ${synced}_settles() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           DELETE FROM ${overlay} l USING arrived a
            WHERE ${t.primaryKey.map((k) => `l.${k} = a.${k}`).join(' AND ')}
              AND l.pending_write_id = a.last_write_id;
           RETURN NULL;
         END $$`,
        ...(['INSERT', 'UPDATE'] as const).flatMap((event) => [
          `DROP TRIGGER IF EXISTS ${synced}_settles_${event.toLowerCase()} ON ${synced}`,
          `CREATE TRIGGER ${synced}_settles_${event.toLowerCase()} AFTER ${event} ON ${synced}
             REFERENCING NEW TABLE AS arrived FOR EACH STATEMENT EXECUTE FUNCTION ${synced}_settles()`,
        ]),
      );
    }
  }
  return `${statements.join(';\n')};`;
}

/** Every overlay of the role, for settling a write everywhere it left a row. */
export function overlayTables(role: ShapeRole): string[] {
  return replicaTables(role).map((t) => overlayName(t.table));
}

/** What applySchema needs of a database: PGlite in the worker, or in Node for the seed. */
type SchemaTarget = Pick<PGliteInterface, 'exec' | 'query' | 'transaction'>;

/**
 * The schema's text is its version. A new app version with another catalog starts the synced
 * tables and their sync over; the queue (and so no waiting write) is never dropped.
 */
export async function applySchema(pg: SchemaTarget, role: ShapeRole): Promise<void> {
  const ddl = replicaSchema(role);
  await pg.exec('CREATE TABLE IF NOT EXISTS replica_meta (key text PRIMARY KEY, value text NOT NULL)');
  const { rows } = await pg.query<{ value: string }>("SELECT value FROM replica_meta WHERE key = 'schema'");
  if (rows[0]?.value === ddl) return;
  await pg.transaction(async (tx) => {
    if (rows[0]) {
      for (const t of replicaTables(role)) {
        await tx.exec(`DROP VIEW IF EXISTS ${t.table}; DROP TABLE IF EXISTS ${syncedName(t.table)} CASCADE;`);
        await tx.exec(`DROP TABLE IF EXISTS ${overlayName(t.table)} CASCADE`);
      }
      await tx.exec('DROP SCHEMA IF EXISTS electric CASCADE');
    }
    await tx.exec(ddl);
    await tx.query(
      "INSERT INTO replica_meta (key, value) VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = $1",
      [ddl],
    );
  });
}
