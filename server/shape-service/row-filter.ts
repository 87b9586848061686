// Deciding which replicated rows are in which shapes, for where clauses JavaScript cannot
// decide alone (see FastAtom in where.ts): one query per transaction and table asks Postgres,
// for every changed row (old and new), whether it satisfies each shape's clause — the same
// SQL the snapshot used, so both sides agree exactly. The rows travel as JSON and become
// records of the table's type with json_populate_recordset, using the types' input functions.
import type pg from 'pg';
import type { Row, ShapeDefinition } from './shape-definition.ts';
import { type TableInfo, tableSql } from './table-info.ts';
import { whereToSql } from './where.ts';

/** `result[s][r]`: does row `r` satisfy the where clause of shape `s`. */
export async function evaluateInPostgres(
  pool: pg.Pool,
  table: TableInfo,
  shapes: readonly ShapeDefinition[],
  rows: readonly Row[],
): Promise<boolean[][]> {
  const jsonColumns = new Set(
    table.columns
      .filter((c) => (c.typeName === 'json' || c.typeName === 'jsonb') && c.dims === 0)
      .map((c) => c.name),
  );
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      // A json column takes the JSON value itself, not a string holding it.
      record[k] = v !== null && jsonColumns.has(k) ? JSON.parse(v) : v;
    }
    return record;
  });
  const values: unknown[] = [JSON.stringify(records)];
  const tests = shapes.map((def, i) => {
    const base = values.length;
    values.push(...def.params);
    const sql = def.where ? whereToSql(def.where.expr, (n) => `$${base + n}`) : 'true';
    return `coalesce(${sql}, false) AS m${i}`;
  });
  // The shape service's pool returns every value as text: booleans arrive as 't' / 'f'.
  const { rows: result } = await pool.query<Record<string, string | null>>(
    `SELECT ${tests.join(', ')} FROM json_populate_recordset(NULL::${tableSql(table)}, $1::json)`,
    values,
  );
  if (result.length !== rows.length)
    throw new Error('row filter: Postgres returned a different number of rows');
  return shapes.map((_, i) => result.map((r) => r[`m${i}`] === 't'));
}
