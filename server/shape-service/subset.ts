// Subset snapshots, as Electric serves them: rows of a shape that also match the subset's
// `where` (with its own `$n` params), in `order_by` order, `limit`/`offset` applied, read in one
// REPEATABLE READ snapshot whose visibility and WAL position come back as metadata, so the
// client can tell which later changes the subset already holds. Clients use them to load on
// demand (`requestSnapshot` with `log=changes_only`, `fetchSnapshot`).
//
// The subset may refer only to the shape's own columns (Electric allows any column of the
// table): ordering or filtering by a column the shape leaves out would tell a client about it.
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { quoteLiteral } from './identifiers.ts';
import { parseLsn } from './offset.ts';
import type { ParamErrors, SubsetParams } from './params.ts';
import { checkedWhere, positionalParams, type ShapeDefinition } from './shape-definition.ts';
import { messageSql, parseSnapshot, shapeWhereSql } from './snapshot.ts';
import { tableSql } from './table-info.ts';
import { parseOrderBy, WhereError, whereToSql } from './where.ts';

/** A subset checked against its shape: SQL of our own making, ready to run. */
export interface Subset {
  readonly whereSql: string | null;
  readonly orderBySql: string | null;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}

/** Checks a subset against the shape (and Postgres); errors are nested under `subset`. */
export async function defineSubset(
  db: pg.Pool,
  def: ShapeDefinition,
  params: SubsetParams,
): Promise<{ subset: Subset } | { errors: ParamErrors }> {
  const refuse = (field: string, message: string) => ({ errors: { subset: { [field]: [message] } } });
  const columns = new Set(def.columns.map((c) => c.name));
  const values = positionalParams(params.params);
  if (typeof values === 'string') return refuse('params', values);
  let whereSql: string | null = null;
  if (params.where !== undefined && params.where.trim() !== '') {
    const checked = await checkedWhere(db, def.table, params.where, columns, values, 'params');
    if ('field' in checked) return refuse(checked.field, checked.message);
    whereSql = whereToSql(checked.expr, (n) => quoteLiteral(values[n - 1] ?? ''));
  } else if (values.length) {
    return refuse('params', 'params were given without a where clause');
  }
  let orderBySql: string | null = null;
  if (params.orderBy !== undefined) {
    try {
      orderBySql = await parseOrderBy(params.orderBy, columns);
    } catch (error) {
      if (error instanceof WhereError) return refuse('order_by', error.message);
      throw error;
    }
  }
  return { subset: { whereSql, orderBySql, limit: params.limit, offset: params.offset } };
}

/** What a subset response carries besides its rows, as Electric writes it. */
export interface SubsetMetadata {
  readonly xmin: string;
  readonly xmax: string;
  readonly xip_list: string[];
  /** Decimal WAL position when the subset was read. */
  readonly database_lsn: string;
  /** Marks this subset's rows (`headers.snapshot_mark`). */
  readonly snapshot_mark: number;
}

/** Reads the subset; the body is `{"metadata":…,"data":[…]}`, rows encoded by Postgres. */
export async function runSubset(pool: pg.Pool, def: ShapeDefinition, subset: Subset): Promise<Buffer> {
  const mark = randomInt(2 ** 31 - 1);
  const client = await pool.connect();
  let ok = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string; lsn: string }>(
      'SELECT pg_current_snapshot()::text AS snapshot, pg_current_wal_lsn()::text AS lsn',
    );
    const info = parseSnapshot(rows[0]?.snapshot ?? '');
    const conditions = [
      def.where ? `(${shapeWhereSql(def)})` : null,
      subset.whereSql && `(${subset.whereSql})`,
    ]
      .filter(Boolean)
      .join(' AND ');
    const sql = [
      `SELECT ${messageSql(def, { snapshot_mark: mark })} AS line FROM ${tableSql(def.table)}`,
      conditions && `WHERE ${conditions}`,
      subset.orderBySql && `ORDER BY ${subset.orderBySql}`,
      subset.limit !== undefined && `LIMIT ${subset.limit}`,
      subset.offset !== undefined && `OFFSET ${subset.offset}`,
    ]
      .filter(Boolean)
      .join(' ');
    const data = await client.query<{ line: string }>(sql);
    await client.query('COMMIT');
    ok = true;
    const metadata: SubsetMetadata = {
      xmin: String(info.xmin),
      xmax: String(info.xmax),
      xip_list: [...info.xip].map(String),
      database_lsn: String(parseLsn(rows[0]?.lsn ?? '0/0')),
      snapshot_mark: mark,
    };
    return Buffer.from(
      `{"metadata":${JSON.stringify(metadata)},"data":[${data.rows.map((r) => r.line).join(',')}]}`,
    );
  } finally {
    if (!ok) await client.query('ROLLBACK').catch(() => {});
    client.release(!ok);
  }
}
