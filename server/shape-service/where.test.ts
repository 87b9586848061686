// The where parser: what it accepts comes back as SQL we wrote ourselves; what it refuses
// (anything outside a side-effect-free subset, and every trick that would smuggle SQL through
// a request) fails with a sentence a person can act on.
import { describe, expect, it } from 'vitest';
import { fastAtoms, parseWhere, WhereError, whereToSql } from './where.ts';

const COLUMNS = new Set([
  'id',
  'name',
  'status',
  'done',
  'n',
  'starts_at',
  'fieldworker_id',
  'Title',
  'we"ird',
]);
const sql = (source: string) => whereToSql(parseWhere(source, COLUMNS).expr);

describe('parseWhere accepts the subset and writes it back as SQL', () => {
  it.each([
    [`status = 'cancelled'`, `("status" = 'cancelled')`],
    ['fieldworker_id = $1', '("fieldworker_id" = $1)'],
    ['n != 3', '("n" <> 3)'],
    ['NOT done', '(NOT "done")'],
    ['done IS TRUE', '("done" IS TRUE)'],
    ['name IS NOT NULL', '("name" IS NOT NULL)'],
    ['n IS DISTINCT FROM 2', '("n" IS DISTINCT FROM 2)'],
    [`status IN ('a', 'b')`, `("status" IN ('a', 'b'))`],
    [`status NOT IN ('a')`, `("status" NOT IN ('a'))`],
    ['n BETWEEN 1 AND 2', '("n" BETWEEN 1 AND 2)'],
    [`lower(name) LIKE 'a%'`, `(lower("name") LIKE 'a%')`],
    [`name NOT ILIKE '%x'`, `("name" NOT ILIKE '%x')`],
    [
      `starts_at > '2024-01-01'::timestamp with time zone`,
      `("starts_at" > ('2024-01-01')::timestamp with time zone)`,
    ],
    ['id::text = $1', '(("id")::text = $1)'],
    ['n::numeric(10,2) > 1.5e3', '(("n")::numeric(10,2) > 1.5e3)'],
    ['-n + 2 * 3 % 4 > 0', '(((- "n") + ((2 * 3) % 4)) > 0)'],
    [`name || 'x' = 'yx'`, `(("name" || 'x') = 'yx')`],
    // AND binds tighter than OR; parentheses are kept in the generated SQL.
    ['n = 1 OR n = 2 AND done', '(("n" = 1) OR (("n" = 2) AND "done"))'],
    ['(n = 1 OR n = 2) AND done', '((("n" = 1) OR ("n" = 2)) AND "done")'],
    // Keywords in any case; quoted identifiers keep theirs.
    [`"Title" = 'x' and Done`, `(("Title" = 'x') AND "done")`],
    [`"we""ird" = 1`, `("we""ird" = 1)`],
    // Literals are re-quoted: a doubled quote stays one quote in the value, written doubled.
    [`name = 'O''Brien'`, `("name" = 'O''Brien')`],
    // A backslash is an ordinary character (standard_conforming_strings is on everywhere).
    [`name = 'a\\'`, `("name" = 'a\\')`],
    [`coalesce(name, 'none') = 'none'`, `(coalesce("name", 'none') = 'none')`],
  ])('%s', (source, expected) => {
    expect(sql(source)).toBe(expected);
  });

  it('reports the parameters it uses', () => {
    expect([...parseWhere('n = $2 AND id = $1 OR name = $2', COLUMNS).params].sort()).toEqual([1, 2]);
  });

  it('writes parameters as the caller numbers them', () => {
    expect(whereToSql(parseWhere('id = $1', COLUMNS).expr, (n) => `$${n + 3}`)).toBe('("id" = $4)');
  });
});

describe('parseWhere refuses, with a sentence', () => {
  it.each([
    // Statements stacked after the clause.
    ['true; DROP TABLE bookings', /";" is not allowed/],
    [`name = 'x'; DELETE FROM users`, /";" is not allowed/],
    // Comments are not comments here: `--` is two minus signs, `/*` two operators.
    ['id = 1 --', /unexpected end/],
    ['id = 1 -- OR password_hash', /unexpected OR/],
    ['id = 1 /* */', /unexpected "\*"/],
    // Subqueries, however they are spelled.
    ['id IN (SELECT id FROM users)', /subqueries are not supported/],
    ['(SELECT 1) = 1', /subqueries are not supported/],
    ['EXISTS (SELECT 1)', /unexpected EXISTS/],
    ['id = ANY (SELECT id FROM users)', /unexpected ANY/],
    // Functions with side effects or that depend on anything but the row.
    ['pg_sleep(10) IS NULL', /unsupported function "pg_sleep"/],
    ['starts_at < now()', /unsupported function "now"/],
    ['random() < 0.5', /unsupported function "random"/],
    [`"lower"(name) = 'x'`, /unsupported function "lower"/],
    [`set_config('role', 'postgres', false) = ''`, /unsupported function "set_config"/],
    ['lower(name, name) = 1', /wrong number of arguments/],
    // Other tables and columns the shape does not have.
    [`users.password_hash = 'x'`, /qualified column references are not supported/],
    [`password_hash = 'x'`, /unknown column "password_hash"/],
    [`"Name" = 'x'`, /unknown column "Name"/],
    // Quoting tricks.
    [`name = 'unterminated`, /unterminated string literal/],
    [`"name = 'x'`, /unterminated quoted identifier/],
    [`"" = 1`, /zero-length quoted identifier/],
    [`name = E'\\x27'`, /unknown column "e"/],
    [`name = $$x$$`, /invalid parameter reference/],
    [`U&"d\\0061ta" = 1`, /unexpected character "&"/],
    [`name = 'a' COLLATE "C"`, /unexpected COLLATE/],
    // Operators and casts outside the subset.
    [`name ~ 'x'`, /unexpected character "~"/],
    [`name SIMILAR TO 'x'`, /unexpected SIMILAR/],
    ['id::regclass = 1', /unsupported type "regclass"/],
    ['id::"text" = 1', /unsupported type in a cast/],
    ['CASE WHEN done THEN 1 END = 1', /unexpected CASE/],
    // Parameters.
    ['id = $0', /invalid parameter reference/],
    ['id = $', /invalid parameter reference/],
    ['id = $123456', /unexpected number 6/],
    ['n = 1abc', /invalid number/],
    ['', /unexpected end/],
    ['n = 1 n = 2', /unexpected N/],
  ])('%s', (source, message) => {
    let error: unknown;
    try {
      parseWhere(source, COLUMNS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WhereError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('fastAtoms: what JavaScript may decide without asking Postgres', () => {
  const types: Record<string, string> = { id: 'uuid', name: 'text', done: 'bool', n: 'float8' };
  const atoms = (source: string) =>
    fastAtoms(parseWhere(source, COLUMNS).expr, (c) =>
      types[c] ? { type: types[c] as string, deterministic: true } : undefined,
    );

  it.each([
    ['id = $1', [{ kind: 'eq', column: 'id', constant: { k: 'param', n: 1 } }]],
    [
      'done AND name IS NULL',
      [
        { kind: 'bool', column: 'done', value: true },
        { kind: 'null', column: 'name', negated: false },
      ],
    ],
    ['NOT done', [{ kind: 'bool', column: 'done', value: false }]],
    // Float equality, OR, and anything else go to Postgres.
    ['n = 1', null],
    ['id = $1 OR done', null],
    [`lower(name) = 'a'`, null],
  ])('%s', (source, expected) => {
    expect(atoms(source)).toEqual(expected);
  });
});
