// The `where` clause of a shape: parsed into a small AST, checked, and written back as SQL.
//
// Why parse instead of pasting the text into a query: the text comes from a request, and it
// must mean the same thing in two places — in the snapshot query, and when deciding whether a
// replicated row belongs to the shape. Parsing lets us (1) refuse anything outside a known,
// side-effect-free subset of SQL with a readable message, (2) emit SQL we generated ourselves
// (quoted identifiers, re-quoted literals, renumbered parameters), so nothing in the request
// reaches Postgres as raw SQL, and (3) recognise the common simple forms (`col = $1`,
// `col IS NULL`, a boolean column) that are evaluated in JavaScript without a round trip.
//
// Supported: column references, string / number / boolean / NULL literals, `$n` parameters,
// casts to built-in types, `AND OR NOT`, comparisons, `IS [NOT] NULL|TRUE|FALSE|UNKNOWN`,
// `IS [NOT] DISTINCT FROM`, `[NOT] IN (...)`, `[NOT] LIKE|ILIKE`, `[NOT] BETWEEN`, arithmetic,
// `||`, and a few deterministic functions. Electric supports a similar (larger) subset; both
// refuse functions whose result depends on anything but the row (now(), random(), subqueries).
//
// One file past 400 lines: the tokenizer, parser and SQL writer of one small language, which
// change together (and the formatter gives each keyword of the tables a line).
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

type Token =
  | { t: 'ident'; v: string; quoted: boolean; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: string; pos: number }
  | { t: 'param'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'eof'; pos: number };

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'is',
  'null',
  'true',
  'false',
  'in',
  'like',
  'ilike',
  'between',
  'distinct',
  'from',
  'unknown',
  'select',
  'exists',
  'any',
  'all',
  'some',
  'case',
  'when',
  'then',
  'else',
  'end',
  'similar',
]);

/** Deterministic functions allowed in a where clause, with their [min, max] argument counts. */
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
  coalesce: [1, 100],
  nullif: [2, 2],
  greatest: [1, 100],
  least: [1, 100],
};

/** Built-in types a value may be cast to, spelled as Postgres accepts them. */
const TYPES = new Set([
  'text',
  'varchar',
  'character varying',
  'char',
  'character',
  'bpchar',
  'int2',
  'smallint',
  'int4',
  'int',
  'integer',
  'int8',
  'bigint',
  'float4',
  'real',
  'float8',
  'double precision',
  'numeric',
  'decimal',
  'bool',
  'boolean',
  'uuid',
  'date',
  'time',
  'timetz',
  'time with time zone',
  'time without time zone',
  'timestamp',
  'timestamptz',
  'timestamp with time zone',
  'timestamp without time zone',
  'interval',
  'json',
  'jsonb',
]);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  /** A '…' literal or "…" identifier from `i`, with doubled quotes standing for one. */
  const readQuoted = (quote: string, unterminated: string): string => {
    let value = '';
    i++;
    for (;;) {
      if (i >= src.length) fail(unterminated);
      if (src[i] === quote) {
        if (src[i + 1] === quote) {
          value += quote;
          i += 2;
          continue;
        }
        i++;
        return value;
      }
      value += src[i];
      i++;
    }
  };
  const fail = (msg: string): never => {
    throw new WhereError(`${msg} at position ${i + 1}`);
  };
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = i;
    if (ch === "'") {
      const value = readQuoted("'", 'unterminated string literal');
      tokens.push({ t: 'str', v: value, pos });
    } else if (ch === '"') {
      const value = readQuoted('"', 'unterminated quoted identifier');
      if (value === '') fail('zero-length quoted identifier');
      tokens.push({ t: 'ident', v: value, quoted: true, pos });
    } else if (ch === '$') {
      const m = /^\$([1-9][0-9]{0,4})/.exec(src.slice(i));
      if (!m?.[1]) fail('invalid parameter reference (write $1, $2, …)');
      tokens.push({ t: 'param', v: Number(m?.[1]), pos });
      i += m?.[0].length ?? 1;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i));
      const text = m?.[0] ?? ch;
      if (/[A-Za-z_]/.test(src[i + text.length] ?? '')) fail('invalid number');
      tokens.push({ t: 'num', v: text, pos });
      i += text.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(src.slice(i));
      const text = m?.[0] ?? ch;
      tokens.push({ t: 'ident', v: text.toLowerCase(), quoted: false, pos });
      i += text.length;
    } else {
      const two = src.slice(i, i + 2);
      if (['<>', '!=', '<=', '>=', '::', '||'].includes(two)) {
        tokens.push({ t: 'op', v: two, pos });
        i += 2;
      } else if ('=<>(),+-*/%[].'.includes(ch)) {
        tokens.push({ t: 'op', v: ch, pos });
        i++;
      } else if (ch === ';') {
        fail('a where clause is one expression; ";" is not allowed');
      } else {
        fail(`unexpected character ${JSON.stringify(ch)}`);
      }
    }
  }
  tokens.push({ t: 'eof', pos: src.length });
  return tokens;
}

/**
 * Parses `source` for a table with the given columns. Throws WhereError with a sentence
 * (position included) for anything it does not accept.
 */
export function parseWhere(source: string, columns: ReadonlySet<string>): ParsedWhere {
  const tokens = tokenize(source);
  const params = new Set<number>();
  let p = 0;
  const peek = (): Token => tokens[p] as Token;
  const next = (): Token => tokens[p++] as Token;
  const at = (t: Token) => `at position ${t.pos + 1}`;
  const isKw = (t: Token, kw: string) => t.t === 'ident' && !t.quoted && t.v === kw;
  const isOp = (t: Token, op: string) => t.t === 'op' && t.v === op;
  const acceptKw = (kw: string): boolean => {
    if (!isKw(peek(), kw)) return false;
    p++;
    return true;
  };
  const expectKw = (kw: string) => {
    if (!acceptKw(kw)) throw new WhereError(`expected ${kw.toUpperCase()} ${at(peek())}`);
  };
  const expectOp = (op: string) => {
    const t = next();
    if (!isOp(t, op)) throw new WhereError(`expected "${op}" ${at(t)}`);
  };

  const orExpr = (): Expr => {
    const args = [andExpr()];
    while (acceptKw('or')) args.push(andExpr());
    return args.length === 1 ? (args[0] as Expr) : { k: 'or', args };
  };
  const andExpr = (): Expr => {
    const args = [notExpr()];
    while (acceptKw('and')) args.push(notExpr());
    return args.length === 1 ? (args[0] as Expr) : { k: 'and', args };
  };
  const notExpr = (): Expr => (acceptKw('not') ? { k: 'not', expr: notExpr() } : isExpr());
  const isExpr = (): Expr => {
    let e = cmpExpr();
    while (acceptKw('is')) {
      const not = acceptKw('not');
      const t = next();
      if (isKw(t, 'null')) e = { k: 'is', expr: e, test: 'NULL', not };
      else if (isKw(t, 'true')) e = { k: 'is', expr: e, test: 'TRUE', not };
      else if (isKw(t, 'false')) e = { k: 'is', expr: e, test: 'FALSE', not };
      else if (isKw(t, 'unknown')) e = { k: 'is', expr: e, test: 'UNKNOWN', not };
      else if (isKw(t, 'distinct')) {
        expectKw('from');
        e = { k: 'distinct', left: e, right: cmpExpr(), not };
      } else throw new WhereError(`expected NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS ${at(t)}`);
    }
    return e;
  };
  const cmpExpr = (): Expr => {
    const left = predExpr();
    const t = peek();
    if (t.t === 'op' && ['=', '<>', '!=', '<', '>', '<=', '>='].includes(t.v)) {
      p++;
      const op = (t.v === '!=' ? '<>' : t.v) as CompareOp;
      return { k: 'cmp', op, left, right: predExpr() };
    }
    return left;
  };
  const predExpr = (): Expr => {
    const e = otherExpr();
    const save = p;
    const not = acceptKw('not');
    if (acceptKw('between')) {
      const low = otherExpr();
      expectKw('and');
      return { k: 'between', expr: e, low, high: otherExpr(), not };
    }
    if (acceptKw('in')) {
      expectOp('(');
      if (isKw(peek(), 'select')) throw new WhereError(`subqueries are not supported ${at(peek())}`);
      const list = [orExpr()];
      while (isOp(peek(), ',')) {
        p++;
        list.push(orExpr());
      }
      expectOp(')');
      return { k: 'in', expr: e, list, not };
    }
    if (acceptKw('like')) return { k: 'like', op: 'LIKE', expr: e, pattern: otherExpr(), not };
    if (acceptKw('ilike')) return { k: 'like', op: 'ILIKE', expr: e, pattern: otherExpr(), not };
    p = save;
    return e;
  };
  const otherExpr = (): Expr => {
    let e = addExpr();
    while (isOp(peek(), '||')) {
      p++;
      e = { k: 'arith', op: '||', left: e, right: addExpr() };
    }
    return e;
  };
  const addExpr = (): Expr => {
    let e = mulExpr();
    while (isOp(peek(), '+') || isOp(peek(), '-')) {
      const op = (next() as { v: string }).v;
      e = { k: 'arith', op, left: e, right: mulExpr() };
    }
    return e;
  };
  const mulExpr = (): Expr => {
    let e = unary();
    while (isOp(peek(), '*') || isOp(peek(), '/') || isOp(peek(), '%')) {
      const op = (next() as { v: string }).v;
      e = { k: 'arith', op, left: e, right: unary() };
    }
    return e;
  };
  const unary = (): Expr => {
    if (isOp(peek(), '-')) {
      p++;
      return { k: 'neg', expr: unary() };
    }
    if (isOp(peek(), '+')) {
      p++;
      return unary();
    }
    return postfix();
  };
  const postfix = (): Expr => {
    let e = primary();
    while (isOp(peek(), '::')) {
      p++;
      e = { k: 'cast', expr: e, type: typeName() };
    }
    return e;
  };
  const typeName = (): string => {
    const start = peek();
    const words: string[] = [];
    while (peek().t === 'ident' && !(peek() as { quoted: boolean }).quoted)
      words.push((next() as { v: string }).v);
    // Longest known spelling first: `timestamp with time zone` before `timestamp`.
    let matched = '';
    for (let n = words.length; n > 0; n--) {
      const candidate = words.slice(0, n).join(' ');
      if (TYPES.has(candidate)) {
        matched = candidate;
        p -= words.length - n;
        break;
      }
    }
    if (!matched) {
      const spelled = words.length ? ` "${words.join(' ')}"` : '';
      throw new WhereError(`unsupported type${spelled} in a cast ${at(start)}`);
    }
    let type = matched;
    if (isOp(peek(), '(')) {
      p++;
      const mods: string[] = [];
      for (;;) {
        const t = next();
        if (t.t !== 'num' || !/^[0-9]+$/.test(t.v)) throw new WhereError(`expected a type modifier ${at(t)}`);
        mods.push(t.v);
        if (isOp(peek(), ',')) p++;
        else break;
      }
      expectOp(')');
      type += `(${mods.join(',')})`;
    }
    while (isOp(peek(), '[')) {
      p++;
      expectOp(']');
      type += '[]';
    }
    return type;
  };
  const primary = (): Expr => {
    const t = next();
    switch (t.t) {
      case 'str':
        return { k: 'str', value: t.v };
      case 'num':
        return { k: 'num', text: t.v };
      case 'param':
        params.add(t.v);
        return { k: 'param', n: t.v };
      case 'op':
        if (t.v === '(') {
          if (isKw(peek(), 'select')) throw new WhereError(`subqueries are not supported ${at(peek())}`);
          const e = orExpr();
          expectOp(')');
          return e;
        }
        throw new WhereError(`unexpected "${t.v}" ${at(t)}`);
      case 'eof':
        throw new WhereError('unexpected end of the where clause');
      case 'ident': {
        if (!t.quoted) {
          if (t.v === 'true' || t.v === 'false') return { k: 'bool', value: t.v === 'true' };
          if (t.v === 'null') return { k: 'null' };
          if (KEYWORDS.has(t.v)) throw new WhereError(`unexpected ${t.v.toUpperCase()} ${at(t)}`);
        }
        if (isOp(peek(), '(')) {
          p++;
          const arity = t.quoted ? undefined : FUNCTIONS[t.v];
          if (!arity) throw new WhereError(`unsupported function "${t.v}" ${at(t)}`);
          const args: Expr[] = [];
          if (!isOp(peek(), ')')) {
            args.push(orExpr());
            while (isOp(peek(), ',')) {
              p++;
              args.push(orExpr());
            }
          }
          expectOp(')');
          if (args.length < arity[0] || args.length > arity[1]) {
            throw new WhereError(`wrong number of arguments to ${t.v}() ${at(t)}`);
          }
          return { k: 'fn', name: t.v, args };
        }
        if (isOp(peek(), '.')) throw new WhereError(`qualified column references are not supported ${at(t)}`);
        if (!columns.has(t.v)) throw new WhereError(`unknown column "${t.v}" ${at(t)}`);
        return { k: 'col', name: t.v };
      }
    }
  };

  const expr = orExpr();
  const rest = peek();
  if (rest.t !== 'eof') throw new WhereError(`unexpected ${describeToken(rest)} ${at(rest)}`);
  return { expr, params };
}

function describeToken(t: Token): string {
  switch (t.t) {
    case 'ident':
      return t.quoted ? `"${t.v}"` : t.v.toUpperCase();
    case 'op':
      return `"${t.v}"`;
    case 'str':
      return 'string';
    case 'num':
      return `number ${t.v}`;
    case 'param':
      return `$${t.v}`;
    case 'eof':
      return 'end';
  }
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
      return `(${c(e.expr)} ${e.not ? 'NOT ' : ''}BETWEEN ${c(e.low)} AND ${c(e.high)})`;
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
