// The initial snapshot of a shape, and the visibility test that joins it to the stream.
//
// The query runs in a REPEATABLE READ READ ONLY transaction; its first statement reads
// pg_current_snapshot(), which is the very snapshot the rows are read with. A replicated
// transaction belongs in the shape's log only if that snapshot could not see it: visible when
// xid < xmin, invisible when xid >= xmax, otherwise visible unless listed in xip. Rows come
// out of Postgres already written as the JSON messages the client reads (one text column per
// row), read through a cursor so a large table never sits in memory as one result.
import type pg from 'pg';
import { quoteIdent, quoteLiteral } from './identifiers.ts';
import type { ShapeDefinition } from './shape-definition.ts';
import { tableSql } from './table-info.ts';
import { whereToSql } from './where.ts';

export interface SnapshotInfo {
  readonly xmin: bigint;
  readonly xmax: bigint;
  readonly xip: ReadonlySet<bigint>;
}

/** `pg_current_snapshot()::text`, e.g. `748:752:748,750`. */
export function parseSnapshot(text: string): SnapshotInfo {
  const [xmin, xmax, xip] = text.split(':');
  if (!xmin || !xmax || xip === undefined) throw new Error(`Not a pg_snapshot: ${JSON.stringify(text)}`);
  return {
    xmin: BigInt(xmin),
    xmax: BigInt(xmax),
    xip: new Set(xip === '' ? [] : xip.split(',').map((x) => BigInt(x))),
  };
}

/**
 * Could the snapshot see the transaction? pgoutput gives 32-bit xids; the snapshot has 64-bit
 * ones (with the wraparound epoch), so the xid is placed in the epoch nearest to xmax: any
 * transaction decoded after the snapshot was taken is within 2^31 of it.
 */
export function isVisibleInSnapshot(xid32: number, s: SnapshotInfo): boolean {
  let xid = (s.xmax & ~0xffff_ffffn) | BigInt(xid32 >>> 0);
  if (xid > s.xmax + 0x8000_0000n) xid -= 0x1_0000_0000n;
  else if (xid < s.xmax - 0x8000_0000n) xid += 0x1_0000_0000n;
  return xid < s.xmin || (xid < s.xmax && !s.xip.has(xid));
}

/** A snapshot's visibility as kept on disk (JSON has no bigint). */
export interface SnapshotRecord {
  readonly xmin: string;
  readonly xmax: string;
  readonly xip: readonly string[];
}

export function snapshotRecord(info: SnapshotInfo): SnapshotRecord {
  return { xmin: String(info.xmin), xmax: String(info.xmax), xip: [...info.xip].map(String) };
}

export function snapshotFromRecord(r: SnapshotRecord): SnapshotInfo {
  return { xmin: BigInt(r.xmin), xmax: BigInt(r.xmax), xip: new Set(r.xip.map((x) => BigInt(x))) };
}

/** The control message that closes a snapshot, as Electric writes it. */
export function snapshotEndMessage(s: SnapshotInfo): string {
  return JSON.stringify({
    headers: {
      control: 'snapshot-end',
      xmin: String(s.xmin),
      xmax: String(s.xmax),
      xip_list: [...s.xip].map(String),
    },
  });
}

/** SQL for a value as text, the way its type's output function (and pgoutput) writes it. */
function textOf(column: string): string {
  const c = quoteIdent(column);
  // concat() uses the output function (booleans as t/f, char(n) keeps its padding), where a
  // ::text cast would not; it turns NULL into '', hence the CASE.
  return `CASE WHEN ${c} IS NULL THEN NULL ELSE concat(${c}) END`;
}

/** The key Electric gives a row: `"schema"."table"/"pk1"/"pk2"`, `/` doubled inside values. */
export function keyPrefix(def: ShapeDefinition): string {
  return `${quoteIdent(def.table.schema)}.${quoteIdent(def.table.name)}/`;
}

/** One SELECT column that is the whole JSON insert message for a row, with `extraHeaders`. */
export function messageSql(def: ShapeDefinition, extraHeaders: Record<string, unknown> = {}): string {
  const key = def.table.pk
    .map((c) => `coalesce('"' || replace(${textOf(c)}, '/', '//') || '"', '_')`)
    .join(` || '/' || `);
  const values = def.columns
    .map(
      (c, i) =>
        `${quoteLiteral(`${i ? ',' : ''}${JSON.stringify(c.name)}:`)} || coalesce(to_json(${textOf(c.name)})::text, 'null')`,
    )
    .join(' || ');
  const headers = JSON.stringify({
    operation: 'insert',
    relation: [def.table.schema, def.table.name],
    ...extraHeaders,
  });
  return [
    `'{"key":' || to_json(${quoteLiteral(keyPrefix(def))} || ${key})::text`,
    `',"value":{'`,
    values || `''`,
    `${quoteLiteral(`},"headers":${headers}}`)}`,
  ].join(' || ');
}

/**
 * The shape's where with its parameters written in as literals: a literal and an untyped
 * parameter resolve to the same type, and DECLARE takes no parameters.
 */
export function shapeWhereSql(def: ShapeDefinition): string {
  return def.where ? whereToSql(def.where.expr, (n) => quoteLiteral(def.params[n - 1] ?? '')) : 'true';
}

export interface SnapshotSink {
  /** Called once, as soon as the snapshot's visibility is known (before any row). */
  onInfo(info: SnapshotInfo): void;
  /** Called with rows in order, each a complete JSON message. */
  onRows(lines: string[]): void;
}

const FETCH_ROWS = 5000;

/** Runs the snapshot; resolves when every row has been handed to the sink. */
export async function runSnapshot(pool: pg.Pool, def: ShapeDefinition, sink: SnapshotSink): Promise<void> {
  const client = await pool.connect();
  let ok = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ snapshot: string }>(
      'SELECT pg_current_snapshot()::text AS snapshot',
    );
    sink.onInfo(parseSnapshot(rows[0]?.snapshot ?? ''));
    if (def.logMode === 'full') {
      const where = def.where ? ` WHERE ${shapeWhereSql(def)}` : '';
      await client.query(
        `DECLARE shape_snapshot NO SCROLL CURSOR FOR SELECT ${messageSql(def)} AS line FROM ${tableSql(def.table)}${where}`,
      );
      for (;;) {
        const batch = await client.query<{ line: string }>(`FETCH ${FETCH_ROWS} FROM shape_snapshot`);
        if (batch.rows.length) sink.onRows(batch.rows.map((r) => r.line));
        if (batch.rows.length < FETCH_ROWS) break;
      }
    }
    await client.query('COMMIT');
    ok = true;
  } finally {
    if (!ok) await client.query('ROLLBACK').catch(() => {});
    client.release(!ok);
  }
}
