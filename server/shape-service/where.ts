// The `where` clause of a shape: parsed by Postgres' own parser into a small AST, checked, and
// written back as SQL.
//
// Why parse instead of pasting the text into a query: the text comes from a request, and it
// must mean the same thing in two places — in the snapshot query, and when deciding whether a
// replicated row belongs to the shape. Parsing lets us (1) refuse anything outside a known,
// side-effect-free subset of SQL, (2) emit SQL we generated ourselves (quoted identifiers,
// re-quoted literals, renumbered parameters), so nothing in the request reaches Postgres as
// raw SQL, and (3) recognise the common simple forms (`col = $1`, `col IS NULL`, a boolean
// column) that are evaluated in JavaScript without a round trip.
//
// The parser is libpg-query (Postgres' own grammar, the library Electric's parser wraps), fed
// `SELECT 1 WHERE <clause>` as Electric feeds it, so a clause means what it means to Postgres
// and errors are worded as Electric words them: `At location 17: syntax error at or near "x"`
// for `1 x 1` (a syntax error counts from the start of `SELECT 1 WHERE `, as Electric's does;
// every other error from the start of the clause, in bytes), `At location 0: unknown
// reference nope`, `At location 0: unknown or unsupported function now/0`.
//
// Supported: column references, string / number / boolean / NULL literals, `$n` parameters,
// casts to built-in types, `AND OR NOT`, comparisons, `IS [NOT] NULL|TRUE|FALSE|UNKNOWN`,
// `IS [NOT] DISTINCT FROM`, `[NOT] IN (...)`, `[NOT] LIKE|ILIKE`, `[NOT] BETWEEN [SYMMETRIC]`,
// arithmetic, `||`, and a few deterministic functions. Electric supports a similar (larger)
// subset; both refuse functions whose result depends on anything but the row (now(),
// random()); subqueries are Electric's alone.
//
// One file past 400 lines: the reading, SQL writing and JavaScript test of one small language,
// which change together.
import {
  type A_Const,
  type A_Expr,
  type FuncCall,
  type Node,
  type ParseResult,
  parse,
  type SelectStmt,
  type SqlError,
  type TypeName,
} from 'libpg-query';
import { quoteIdent, quoteLiteral } from './identifiers.ts';

export type CompareOp = '=' | '<>' | '<' | '>' | '<=' | '>=';
export type Expr =
  | { readonly k: 'col'; readonly name: string }
  | { readonly k: 'str'; readonly value: string }
  | { readonly k: 'num'; readonly text: string }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'null' }
  | { readonly k: 'param'; readonly n: number }
  | { readonly k: 'cast'; readonly expr: Expr; readonly type: string }
  | { readonly k: 'not'; readonly expr: Expr }
  | { readonly k: 'and' | 'or'; readonly args: readonly Expr[] }
  | { readonly k: 'cmp'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | {
      readonly k: 'is';
      readonly expr: Expr;
      readonly test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN';
      readonly not: boolean;
    }
  | { readonly k: 'distinct'; readonly left: Expr; readonly right: Expr; readonly not: boolean }
  | { readonly k: 'in'; readonly expr: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | {
      readonly k: 'like';
      readonly op: 'LIKE' | 'ILIKE';
      readonly expr: Expr;
      readonly pattern: Expr;
      readonly not: boolean;
    }
  | {
      readonly k: 'between';
      readonly expr: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly not: boolean;
      readonly symmetric: boolean;
    }
  | { readonly k: 'arith'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'neg'; readonly expr: Expr }
  | { readonly k: 'fn'; readonly name: string; readonly args: readonly Expr[] };

export interface ParsedWhere {
  readonly expr: Expr;
  /** The parameter numbers the clause uses. */
  readonly params: ReadonlySet<number>;
}

export class WhereError extends Error {
  override name = 'WhereError';
}

/** What Electric wraps a clause in to parse it (syntax errors are located from its start). */
const PREFIX = 'SELECT 1 WHERE ';

/**
 * Functions called by name, with their [min, max] argument counts; coalesce, nullif, greatest
 * and least are grammar of their own (see Converter).
 */
const FUNCTIONS: Record<string, [number, number]> = {
  lower: [1, 1],
  upper: [1, 1],
  length: [1, 1],
  char_length: [1, 1],
  abs: [1, 1],
  btrim: [1, 2],
  ltrim: [1, 2],
  rtrim: [1, 2],
  starts_with: [2, 2],
};

const COMPARE = new Set(['=', '<>', '<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '||']);

/** Built-in types a value may be cast to, by the names Postgres' parser gives them. */
const TYPES = new Set([
  'text',
  'varchar',
  'bpchar',
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'bool',
  'uuid',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'json',
  'jsonb',
]);

/** The SelectStmt of `SELECT 1 WHERE <clause>` has these and nothing else. */
const SELECT_KEYS = new Set(['targetList', 'whereClause', 'limitOption', 'op']);

/**
 * Parses `source` for a table with the given columns and `paramCount` parameters. Throws
 * WhereError, worded as Electric words it, for anything it does not accept.
 */
export async function parseWhere(
  source: string,
  columns: ReadonlySet<string>,
  paramCount: number,
): Promise<ParsedWhere> {
  const select = await parseSelect(PREFIX, source, 0);
  if (
    !select?.whereClause ||
    select.op !== 'SETOP_NONE' ||
    select.limitOption !== 'LIMIT_OPTION_DEFAULT' ||
    Object.keys(select).some((k) => !SELECT_KEYS.has(k))
  ) {
    throw new WhereError('malformed query ending with SQL clauses');
  }
  const params = new Set<number>();
  const converter = new Converter(columns, paramCount, params);
  try {
    return { expr: converter.expr(select.whereClause), params };
  } catch (error) {
    if (error instanceof RangeError) throw new WhereError('stack depth limit exceeded');
    throw error;
  }
}

/**
 * `prefix + source` read by Postgres' parser: its one SELECT (undefined if it is something
 * else), or a WhereError in Electric's words, a syntax error located from `locateFrom`.
 */
async function parseSelect(
  prefix: string,
  source: string,
  locateFrom: number,
): Promise<SelectStmt | undefined> {
  // The parser reads a C string: what follows a NUL would be silently ignored.
  if (source.includes('\0')) throw new WhereError('invalid byte sequence for encoding "UTF8": 0x00');
  let tree: ParseResult;
  try {
    tree = await parse(prefix + source);
  } catch (error) {
    const details = (error as SqlError).sqlDetails;
    if (details) {
      throw new WhereError(
        `At location ${Math.max(details.cursorPosition - locateFrom, 0)}: ${details.message}`,
      );
    }
    if (error instanceof RangeError) throw new WhereError('stack depth limit exceeded');
    throw error;
  }
  if (tree.stmts?.length !== 1) throw new WhereError('unescaped ";" causing statement split');
  const stmt = tree.stmts[0]?.stmt;
  return stmt && 'SelectStmt' in stmt ? stmt.SelectStmt : undefined;
}

/** What an order_by (of a subset snapshot) is wrapped in to parse it. */
const ORDER_PREFIX = 'SELECT 1 ORDER BY ';

/**
 * A subset's `order_by` (`name DESC NULLS LAST, id`) over `columns`, written back as SQL of our
 * own; the sort keys are expressions of the same language as a where clause, without params.
 */
export async function parseOrderBy(source: string, columns: ReadonlySet<string>): Promise<string> {
  const select = await parseSelect(ORDER_PREFIX, source, ORDER_PREFIX.length);
  const allowed = new Set(['targetList', 'sortClause', 'limitOption', 'op']);
  if (!select?.sortClause || Object.keys(select).some((k) => !allowed.has(k))) {
    throw new WhereError('malformed query ending with SQL clauses');
  }
  const converter = new Converter(columns, 0, new Set(), ORDER_PREFIX.length);
  const sortClause = select.sortClause;
  try {
    return sortClause.map(sortKey).join(', ');
  } catch (error) {
    if (error instanceof RangeError) throw new WhereError('stack depth limit exceeded');
    throw error;
  }

  function sortKey(item: Node): string {
    if (!('SortBy' in item)) throw new WhereError('At location 0: invalid ORDER BY');
    const { node, sortby_dir, sortby_nulls } = item.SortBy;
    if (sortby_dir === 'SORTBY_USING')
      throw new WhereError('At location 0: ORDER BY … USING is not supported');
    const dir = sortby_dir === 'SORTBY_DESC' ? ' DESC' : sortby_dir === 'SORTBY_ASC' ? ' ASC' : '';
    const nulls =
      sortby_nulls === 'SORTBY_NULLS_FIRST'
        ? ' NULLS FIRST'
        : sortby_nulls === 'SORTBY_NULLS_LAST'
          ? ' NULLS LAST'
          : '';
    return `${whereToSql(converter.expr(node))}${dir}${nulls}`;
  }
}

const fail = (location: number | undefined, message: string): never => {
  throw new WhereError(`At location ${Math.max((location ?? 0) - PREFIX.length, 0)}: ${message}`);
};

/** A name as Electric prints it: `pg_catalog.` dropped, quoted unless plain lower case. */
function identifier(parts: readonly string[]): string {
  const shown = parts.length === 2 && parts[0] === 'pg_catalog' ? parts.slice(1) : parts;
  return shown
    .map((p) => (p === '*' || /^[\p{Ll}_][\p{Ll}\p{Nd}_]*$/u.test(p) ? p : quoteIdent(p)))
    .join('.');
}

/** The strings of a name list (`*` for A_Star). */
const names = (nodes: readonly Node[] | undefined): string[] =>
  (nodes ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : 'A_Star' in n ? '*' : '?'));

/** One name, `pg_catalog.` allowed: what a built-in function, operator or type is called. */
const builtinName = (parts: readonly string[]): string | undefined =>
  parts.length === 1 ? parts[0] : parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : undefined;

/** libpg-query's tree (Postgres' raw parse tree) → Expr, refusing what is outside the subset. */
class Converter {
  constructor(
    private readonly columns: ReadonlySet<string>,
    private readonly paramCount: number,
    private readonly params: Set<number>,
    /** Length of what the text was wrapped in to parse it: locations count from after it. */
    private readonly prefixLength = PREFIX.length,
  ) {}

  private fail(location: number | undefined, message: string): never {
    throw new WhereError(`At location ${Math.max((location ?? 0) - this.prefixLength, 0)}: ${message}`);
  }

  expr(node: Node | undefined): Expr {
    if (!node) throw new WhereError('At location 0: missing expression');
    if ('A_Const' in node) return this.constant(node.A_Const);
    if ('ColumnRef' in node) {
      const path = names(node.ColumnRef.fields);
      const name = path[0];
      if (path.length !== 1 || name === undefined || name === '*' || !this.columns.has(name)) {
        return this.fail(node.ColumnRef.location, `unknown reference ${identifier(path)}`);
      }
      return { k: 'col', name };
    }
    if ('ParamRef' in node) {
      const n = node.ParamRef.number ?? 0;
      if (n < 1 || n > this.paramCount) this.fail(node.ParamRef.location, `parameter $${n} was not provided`);
      this.params.add(n);
      return { k: 'param', n };
    }
    if ('TypeCast' in node) {
      const { arg, typeName } = node.TypeCast;
      return { k: 'cast', expr: this.expr(arg), type: castType(typeName) };
    }
    if ('BoolExpr' in node) {
      const { boolop, args = [], location } = node.BoolExpr;
      const list = args.map((a) => this.expr(a));
      if (boolop === 'NOT_EXPR' && list[0]) return { k: 'not', expr: list[0] };
      if (boolop === 'AND_EXPR') return { k: 'and', args: list };
      if (boolop === 'OR_EXPR') return { k: 'or', args: list };
      return this.fail(location, `${boolop} is not supported in this context`);
    }
    if ('NullTest' in node) {
      const { arg, nulltesttype } = node.NullTest;
      return { k: 'is', expr: this.expr(arg), test: 'NULL', not: nulltesttype === 'IS_NOT_NULL' };
    }
    if ('BooleanTest' in node) {
      const { arg, booltesttype = 'IS_TRUE' } = node.BooleanTest;
      const not = booltesttype.startsWith('IS_NOT_');
      const test = booltesttype.slice(not ? 7 : 3) as 'TRUE' | 'FALSE' | 'UNKNOWN';
      return { k: 'is', expr: this.expr(arg), test, not };
    }
    if ('A_Expr' in node) return this.operator(node.A_Expr);
    if ('FuncCall' in node) return this.call(node.FuncCall);
    if ('CoalesceExpr' in node) {
      return { k: 'fn', name: 'coalesce', args: this.list(node.CoalesceExpr.args) };
    }
    if ('MinMaxExpr' in node) {
      const name = node.MinMaxExpr.op === 'IS_LEAST' ? 'least' : 'greatest';
      return { k: 'fn', name, args: this.list(node.MinMaxExpr.args) };
    }
    if ('SubLink' in node)
      return this.fail(node.SubLink.location, 'subqueries are not supported by this shape service');
    const [type, value] = Object.entries(node)[0] ?? ['?', {}];
    return this.fail((value as { location?: number }).location, `${type} is not supported in this context`);
  }

  private list(nodes: readonly Node[] | undefined): Expr[] {
    return (nodes ?? []).map((n) => this.expr(n));
  }

  private constant(c: A_Const): Expr {
    if (c.isnull) return { k: 'null' };
    if (c.sval) return { k: 'str', value: c.sval.sval ?? '' };
    if (c.boolval) return { k: 'bool', value: c.boolval.boolval === true };
    // The parser folds a leading minus into the literal; it stays an operator here, as written.
    const text = c.ival ? String(c.ival.ival ?? 0) : c.fval ? numberText(c.fval.fval ?? '0') : undefined;
    if (text === undefined)
      return this.fail(c.location, 'bit string constants are not supported in this context');
    return text.startsWith('-') ? { k: 'neg', expr: { k: 'num', text: text.slice(1) } } : { k: 'num', text };
  }

  private operator(e: A_Expr): Expr {
    const name = names(e.name);
    const op = builtinName(name) ?? '';
    const left = () => this.expr(e.lexpr);
    const right = () => this.expr(e.rexpr);
    const items = () => (e.rexpr && 'List' in e.rexpr ? this.list(e.rexpr.List.items) : [right()]);
    switch (e.kind) {
      case 'AEXPR_OP':
        if (!e.lexpr) {
          if (op === '-') return { k: 'neg', expr: right() };
          if (op === '+') return right();
          return this.fail(e.location, `unknown unary operator ${identifier(name)}`);
        }
        if (COMPARE.has(op)) return { k: 'cmp', op: op as CompareOp, left: left(), right: right() };
        if (ARITHMETIC.has(op)) return { k: 'arith', op, left: left(), right: right() };
        return this.fail(e.location, `unknown binary operator ${identifier(name)}`);
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE':
        return {
          k: 'like',
          op: e.kind === 'AEXPR_LIKE' ? 'LIKE' : 'ILIKE',
          expr: left(),
          pattern: right(),
          not: op.startsWith('!'),
        };
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT':
        return { k: 'distinct', left: left(), right: right(), not: e.kind === 'AEXPR_NOT_DISTINCT' };
      case 'AEXPR_IN':
        return { k: 'in', expr: left(), list: items(), not: op === '<>' };
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM': {
        const [low, high] = items();
        if (!low || !high) return this.fail(e.location, 'BETWEEN needs two bounds');
        const not = e.kind.startsWith('AEXPR_NOT_');
        return { k: 'between', expr: left(), low, high, not, symmetric: e.kind.endsWith('_SYM') };
      }
      case 'AEXPR_NULLIF':
        return { k: 'fn', name: 'nullif', args: [left(), right()] };
      default:
        return this.fail(
          e.location,
          `expression ${identifier(name)} of :${e.kind} is not currently supported`,
        );
    }
  }

  private call(call: FuncCall): Expr {
    if (
      call.agg_order ||
      call.agg_filter ||
      call.over ||
      call.agg_within_group ||
      call.agg_star ||
      call.agg_distinct
    ) {
      return this.fail(call.location, 'aggregation is not supported in this context');
    }
    if (call.func_variadic) {
      return this.fail(call.location, 'explicit VARIADIC function calls are not currently supported');
    }
    const path = names(call.funcname);
    const name = builtinName(path);
    const args = this.list(call.args);
    const arity = name === undefined ? undefined : FUNCTIONS[name];
    if (name === undefined || !arity || args.length < arity[0] || args.length > arity[1]) {
      return this.fail(call.location, `unknown or unsupported function ${identifier(path)}/${args.length}`);
    }
    return { k: 'fn', name, args };
  }
}

/** The type of a cast as we write it back: a built-in name, its modifiers, `[]`s. */
function castType(t: TypeName | undefined): string {
  const path = names(t?.names);
  const name = builtinName(path);
  if (!t || !name || !TYPES.has(name) || t.setof || t.pct_type) {
    return fail(t?.location, `unsupported type ${identifier(path)}`);
  }
  const mods = (t.typmods ?? []).map((m) =>
    'A_Const' in m && m.A_Const.ival ? String(m.A_Const.ival.ival ?? 0) : undefined,
  );
  // An interval's modifiers are a bit mask of its fields (`interval day`), not a length.
  if (mods.some((m) => m === undefined) || (mods.length && name === 'interval')) {
    return fail(t.location, `unsupported type modifier for ${name}`);
  }
  return `${name}${mods.length ? `(${mods.join(',')})` : ''}${'[]'.repeat(t.arrayBounds?.length ?? 0)}`;
}

/**
 * A numeric literal as plain decimal digits: Postgres 16 also reads `0x1F` and `1_000`, which
 * older servers (the shape service may run against one) would not read back the same way.
 */
function numberText(text: string): string {
  const plain = text.replaceAll('_', '');
  const sign = plain.startsWith('-') ? '-' : '';
  const digits = /^-?0[xob]/i.test(plain) ? sign + BigInt(plain.slice(sign.length)).toString() : plain;
  if (!/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(digits)) {
    throw new WhereError(`invalid number ${text}`);
  }
  return digits;
}

/** The clause as SQL; parameter `$n` is written as `param(n)` (default `$n`). */
export function whereToSql(e: Expr, param: (n: number) => string = (n) => `$${n}`): string {
  const c = (x: Expr) => whereToSql(x, param);
  switch (e.k) {
    case 'col':
      return quoteIdent(e.name);
    case 'str':
      return quoteLiteral(e.value);
    case 'num':
      return e.text;
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'NULL';
    case 'param':
      return param(e.n);
    case 'cast':
      return `(${c(e.expr)})::${e.type}`;
    case 'not':
      return `(NOT ${c(e.expr)})`;
    case 'and':
    case 'or':
      return `(${e.args.map(c).join(e.k === 'and' ? ' AND ' : ' OR ')})`;
    case 'cmp':
      return `(${c(e.left)} ${e.op} ${c(e.right)})`;
    case 'is':
      return `(${c(e.expr)} IS ${e.not ? 'NOT ' : ''}${e.test})`;
    case 'distinct':
      return `(${c(e.left)} IS ${e.not ? 'NOT ' : ''}DISTINCT FROM ${c(e.right)})`;
    case 'in':
      return `(${c(e.expr)} ${e.not ? 'NOT ' : ''}IN (${e.list.map(c).join(', ')}))`;
    case 'like':
      return `(${c(e.expr)} ${e.not ? 'NOT ' : ''}${e.op} ${c(e.pattern)})`;
    case 'between':
      return `(${c(e.expr)} ${e.not ? 'NOT ' : ''}BETWEEN ${e.symmetric ? 'SYMMETRIC ' : ''}${c(e.low)} AND ${c(e.high)})`;
    case 'arith':
      return `(${c(e.left)} ${e.op} ${c(e.right)})`;
    case 'neg':
      return `(- ${c(e.expr)})`;
    case 'fn':
      return `${e.name}(${e.args.map(c).join(', ')})`;
  }
}

/**
 * A clause that JavaScript can decide on the row's text values alone: a conjunction of
 * `column = constant`, `column IS [NOT] NULL`, `boolean column`, `NOT boolean column`.
 * Constants are compared by their canonical text (Postgres' own output of the value cast to
 * the column's type, computed once when the shape is made), which equals the replicated text
 * exactly when the values are equal — for the types below, and only with a deterministic
 * collation. Anything else is decided by Postgres.
 */
export type FastAtom =
  | { readonly kind: 'eq'; readonly column: string; readonly constant: Expr }
  | { readonly kind: 'null'; readonly column: string; readonly negated: boolean }
  | { readonly kind: 'bool'; readonly column: string; readonly value: boolean };

const FAST_EQ_TYPES = new Set(['uuid', 'text', 'varchar', 'int2', 'int4', 'int8', 'bool']);

export function fastAtoms(
  e: Expr,
  columnType: (name: string) => { type: string; deterministic: boolean } | undefined,
): FastAtom[] | null {
  const isBoolCol = (x: Expr): x is { k: 'col'; name: string } =>
    x.k === 'col' && columnType(x.name)?.type === 'bool';
  switch (e.k) {
    case 'and': {
      const atoms: FastAtom[] = [];
      for (const arg of e.args) {
        const sub = fastAtoms(arg, columnType);
        if (!sub) return null;
        atoms.push(...sub);
      }
      return atoms;
    }
    case 'col':
      return isBoolCol(e) ? [{ kind: 'bool', column: e.name, value: true }] : null;
    case 'not':
      return isBoolCol(e.expr) ? [{ kind: 'bool', column: e.expr.name, value: false }] : null;
    case 'is':
      if (e.expr.k !== 'col') return null;
      if (e.test === 'NULL') return [{ kind: 'null', column: e.expr.name, negated: e.not }];
      if (!e.not && (e.test === 'TRUE' || e.test === 'FALSE') && isBoolCol(e.expr)) {
        return [{ kind: 'bool', column: e.expr.name, value: e.test === 'TRUE' }];
      }
      return null;
    case 'cmp': {
      if (e.op !== '=') return null;
      const [col, constant] = e.left.k === 'col' ? [e.left, e.right] : [e.right, e.left];
      if (col.k !== 'col') return null;
      const info = columnType(col.name);
      if (!info || !FAST_EQ_TYPES.has(info.type) || !info.deterministic) return null;
      const integer = info.type.startsWith('int');
      const ok =
        constant.k === 'param' ||
        constant.k === 'str' ||
        (constant.k === 'num' && integer && /^[0-9]+$/.test(constant.text)) ||
        (constant.k === 'bool' && info.type === 'bool');
      return ok ? [{ kind: 'eq', column: col.name, constant }] : null;
    }
    default:
      return null;
  }
}
