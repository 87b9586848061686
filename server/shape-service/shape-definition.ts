// A shape's definition: which table, which rows (`where` with `params`), which columns, which
// replica mode, full log or changes only — checked against the catalog and Postgres itself,
// and reduced to a key, so that every request for the same definition shares one shape.
import type pg from 'pg';
import { parseQualifiedName } from './identifiers.ts';
import { type ColumnInfo, loadTableInfo, type TableInfo, tableSql } from './table-info.ts';
import { type Expr, type FastAtom, fastAtoms, parseWhere, WhereError, whereToSql } from './where.ts';

export type Replica = 'default' | 'full';
export type LogMode = 'full' | 'changes_only';

/** What a request asks for, before it is checked. */
export interface ShapeParams {
  readonly table: string;
  readonly where?: string | undefined;
  /** `params[1]`, `params[2]`, … by number. */
  readonly params?: Readonly<Record<string, string>> | undefined;
  readonly columns?: readonly string[] | undefined;
  readonly replica?: Replica | undefined;
  readonly log?: LogMode | undefined;
}

/** A row as replication and snapshots give it: every value in Postgres' text format. */
export type Row = Readonly<Record<string, string | null>>;

export interface ShapeDefinition {
  readonly table: TableInfo;
  readonly where: {
    readonly expr: Expr;
    /** SQL with the shape's own parameters as $1, $2, … */
    readonly sql: string;
    /** When set, the row test runs in JavaScript (see FastAtom). */
    readonly fast: ((row: Row) => boolean) | null;
  } | null;
  /** Parameter values by position ($1 is index 0). */
  readonly params: readonly string[];
  /** Selected columns in table order; always includes the primary key. */
  readonly columns: readonly ColumnInfo[];
  readonly replica: Replica;
  readonly logMode: LogMode;
  readonly key: string;
}

export type DefineResult =
  | { readonly ok: true; readonly definition: ShapeDefinition }
  | { readonly ok: false; readonly errors: Record<string, string[]> };

const fail = (field: string, message: string): DefineResult => ({
  ok: false,
  errors: { [field]: [message] },
});

/** Checks `params` against the database and builds the definition, or says what is wrong. */
export async function defineShape(db: pg.Pool, params: ShapeParams): Promise<DefineResult> {
  const name = parseQualifiedName(params.table);
  if (!name.ok) return fail('table', name.error);
  const schema = name.value.schema ?? 'public';
  const table = await loadTableInfo(db, schema, name.value.name);
  if (!table) {
    return fail(
      'table',
      `Table ${tableSql({ schema, name: name.value.name })} does not exist. ` +
        'If the table name contains capitals or special characters you must quote it.',
    );
  }
  // Nothing to select: the snapshot's SQL would be empty and fail at every retry.
  if (table.columns.length === 0) return fail('table', `Table ${tableSql(table)} has no columns to sync.`);
  const byName = new Map(table.columns.map((c) => [c.name, c]));

  let columns: ColumnInfo[] = [...table.columns];
  if (params.columns) {
    const unknown = params.columns.filter((c) => !byName.has(c));
    if (unknown.length)
      return fail('columns', `unknown column(s): ${unknown.map((c) => `"${c}"`).join(', ')}`);
    const missingPk = table.pk.filter((c) => !params.columns?.includes(c));
    if (missingPk.length) {
      return fail('columns', `the list of columns must include the primary key (${missingPk.join(', ')})`);
    }
    const wanted = new Set(params.columns);
    columns = table.columns.filter((c) => wanted.has(c.name));
  }

  const values = positionalParams(params.params ?? {});
  if (typeof values === 'string') return fail('params', values);

  let where: ShapeDefinition['where'] = null;
  if (params.where !== undefined && params.where.trim() !== '') {
    const checked = await checkedWhere(db, table, params.where, new Set(byName.keys()), values, 'params');
    if ('field' in checked) return fail(checked.field, checked.message);
    const { expr, sql } = checked;
    const atoms = fastAtoms(expr, (c) => {
      const info = byName.get(c);
      return info && { type: info.ownTypeName, deterministic: info.deterministic };
    });
    const fast = atoms ? await compileFast(db, atoms, byName, values) : null;
    where = { expr, sql, fast };
  } else if (values.length) {
    return fail('params', 'params were given without a where clause');
  }

  const key = JSON.stringify([
    table.schema,
    table.name,
    where?.sql ?? null,
    values,
    columns.map((c) => c.name),
    params.replica ?? 'default',
    params.log ?? 'full',
  ]);
  return {
    ok: true,
    definition: {
      table,
      where,
      params: values,
      columns,
      replica: params.replica ?? 'default',
      logMode: params.log ?? 'full',
      key,
    },
  };
}

/** Parameter values by position ($1 is index 0), or the sentence saying why they are not. */
export function positionalParams(params: Readonly<Record<string, string>>): string[] | string {
  const entries = Object.entries(params);
  for (const [k] of entries) {
    if (!/^[1-9][0-9]*$/.test(k)) return `parameter names are positions 1, 2, …, not "${k}"`;
  }
  const values: string[] = [];
  for (const [k, v] of entries) values[Number(k) - 1] = v;
  if (values.some((v) => v === undefined) || values.length !== entries.length) {
    return 'parameters must be numbered consecutively from 1';
  }
  return values;
}

/**
 * A where clause over `columns` with `values` for its `$n`, parsed, every parameter used, and
 * judged by Postgres; or the field at fault (`where`, or `paramsName`) and why.
 */
export async function checkedWhere(
  db: pg.Pool,
  table: TableInfo,
  source: string,
  columns: ReadonlySet<string>,
  values: readonly string[],
  paramsName: string,
): Promise<{ expr: Expr; sql: string } | { field: string; message: string }> {
  let expr: Expr;
  try {
    const parsed = await parseWhere(source, columns, values.length);
    for (let n = 1; n <= values.length; n++) {
      if (!parsed.params.has(n))
        return { field: paramsName, message: `${paramsName}[${n}] is not used by the where clause` };
    }
    expr = parsed.expr;
  } catch (error) {
    if (error instanceof WhereError) return { field: 'where', message: error.message };
    throw error;
  }
  const sql = whereToSql(expr);
  const refused = await checkWhere(db, table, sql, values);
  return refused ? { field: 'where', message: refused } : { expr, sql };
}

/** Lets Postgres judge the clause (types, operators, values of params); null when it is fine. */
async function checkWhere(
  db: pg.Pool,
  table: TableInfo,
  sql: string,
  values: readonly string[],
): Promise<string | null> {
  const client = await db.connect();
  try {
    await client.query("BEGIN READ ONLY; SET LOCAL statement_timeout = '5s'");
    await client.query(`SELECT 1 FROM ONLY ${tableSql(table)} WHERE ${sql} LIMIT 0`, [...values]);
    return null;
  } catch (error) {
    const e = error as { message?: string; code?: string };
    // Class 22 (data exception) and 42 (syntax, undefined things, datatype mismatch) are the
    // request's fault; anything else (connection lost, …) is ours.
    if (e.code?.startsWith('22') || e.code?.startsWith('42')) return e.message ?? 'invalid where clause';
    throw error;
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/** The JavaScript test for a FastAtom conjunction, with constants in canonical text. */
async function compileFast(
  db: pg.Pool,
  atoms: FastAtom[],
  byName: Map<string, ColumnInfo>,
  values: string[],
): Promise<(row: Row) => boolean> {
  const tests: ((row: Row) => boolean)[] = [];
  for (const atom of atoms) {
    const column = atom.column;
    if (atom.kind === 'null') {
      tests.push(atom.negated ? (r) => r[column] != null : (r) => r[column] == null);
    } else if (atom.kind === 'bool') {
      const want = atom.value ? 't' : 'f';
      tests.push((r) => r[column] === want);
    } else {
      const type = byName.get(column)?.ownTypeName ?? 'text';
      const constant = atom.constant;
      // concat() writes a value with its type's output function, as pgoutput does.
      const { rows } =
        constant.k === 'param'
          ? await db.query<{ v: string | null }>(`SELECT concat(($1)::${type}) AS v`, [
              values[constant.n - 1],
            ])
          : await db.query<{ v: string | null }>(`SELECT concat((${whereToSql(constant)})::${type}) AS v`);
      const canonical = rows[0]?.v ?? null;
      tests.push((r) => canonical !== null && r[column] === canonical);
    }
  }
  return (row) => tests.every((t) => t(row));
}
