// What the catalog says about a table a shape reads: its columns in order, their types, the
// primary key; and the `electric-schema` header built from it (the client parses values by it).
import type pg from 'pg';
import { quoteIdent } from './identifiers.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface ColumnInfo {
  readonly name: string;
  readonly typeOid: number;
  /** pg_type.typname, or the element's typname for arrays (as Electric's schema names types). */
  readonly typeName: string;
  /** The column's own type name, arrays included (`_int4`), for casts. */
  readonly ownTypeName: string;
  readonly dims: number;
  readonly notNull: boolean;
  /** 0-based position in the primary key, or null. */
  readonly pkIndex: number | null;
  readonly typmod: number;
  /** Text comparison is byte comparison (deterministic collation, or no collation). */
  readonly deterministic: boolean;
}

export interface TableInfo {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  /** The primary key columns; every column when the table has none (as Electric does). */
  readonly pk: readonly string[];
  readonly replicaIdentityFull: boolean;
}

export function tableSql(table: { schema: string; name: string }): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

// The shape service's own pool returns values as text ('t' / 'f'); other pools parse them.
const isTrue = (v: boolean | string) => v === true || v === 't';

/** The table, or null when there is no such (plain or partitioned) table, or it was dropped meanwhile. */
export async function loadTableInfo(db: Queryable, schema: string, name: string): Promise<TableInfo | null> {
  const { rows: tables } = await db.query<{ oid: number; relreplident: string }>(
    `SELECT c.oid::int AS oid, c.relreplident
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [schema, name],
  );
  const table = tables[0];
  if (!table) return null;
  // Generated columns are left out: pgoutput does not send them by default.
  const { rows } = await db.query<{
    name: string;
    type_oid: number;
    typname: string;
    elem_typname: string | null;
    typmod: number;
    not_null: boolean | string;
    ndims: number;
    pk_pos: number | null;
    deterministic: boolean | string;
  }>(
    `SELECT a.attname AS name, a.atttypid::int AS type_oid, t.typname, et.typname AS elem_typname,
            a.atttypmod AS typmod, a.attnotnull AS not_null, a.attndims AS ndims,
            (SELECT k.ord FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
              WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum) AS pk_pos,
            coalesce(co.collisdeterministic, true) AS deterministic
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [table.oid],
  );
  if (rows.length === 0) {
    // Dropped since the first query, or a table with no columns: tell them apart.
    const still = await db.query('SELECT 1 FROM pg_class WHERE oid = $1', [table.oid]);
    if (still.rows.length === 0) return null;
  }
  const columns: ColumnInfo[] = rows.map((r) => ({
    name: r.name,
    typeOid: Number(r.type_oid),
    typeName: r.elem_typname ?? r.typname,
    ownTypeName: r.typname,
    dims: r.elem_typname ? Math.max(1, Number(r.ndims)) : 0,
    notNull: isTrue(r.not_null),
    pkIndex: r.pk_pos === null ? null : Number(r.pk_pos) - 1,
    typmod: Number(r.typmod),
    deterministic: isTrue(r.deterministic),
  }));
  const pk = columns
    .filter((c) => c.pkIndex !== null)
    .sort((a, b) => (a.pkIndex ?? 0) - (b.pkIndex ?? 0))
    .map((c) => c.name);
  return {
    oid: Number(table.oid),
    schema,
    name,
    columns,
    pk: pk.length > 0 ? pk : columns.map((c) => c.name),
    replicaIdentityFull: table.relreplident === 'f',
  };
}

const TIME_TYPES = new Set(['time', 'timetz', 'timestamp', 'timestamptz']);

/** One column as the `electric-schema` header describes it. */
function columnSchema(c: ColumnInfo): Record<string, unknown> {
  const s: Record<string, unknown> = { type: c.typeName };
  if (c.dims > 0) s.dims = c.dims;
  if (c.pkIndex !== null) s.pk_index = c.pkIndex;
  if (c.notNull) s.not_null = true;
  if (c.typmod > 0 && (c.typeName === 'varchar' || c.typeName === 'text')) s.max_length = c.typmod - 4;
  else if (c.typmod > 0 && c.typeName === 'bpchar') s.length = c.typmod - 4;
  else if (c.typmod > 0 && TIME_TYPES.has(c.typeName)) s.precision = c.typmod;
  else if (c.typmod > -1 && c.typeName === 'numeric') {
    s.precision = ((c.typmod - 4) >> 16) & 0xffff;
    s.scale = (c.typmod - 4) & 0xffff;
  }
  return s;
}

export function electricSchema(columns: readonly ColumnInfo[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(columns.map((c) => [c.name, columnSchema(c)]));
}
