// The where parser: Postgres' own parser reads the clause; what we accept comes back as SQL we
// wrote ourselves; what we refuse (anything outside a side-effect-free subset, and every trick
// that would smuggle SQL through a request) fails with the sentence Electric would give.
import { describe, expect, it } from 'vitest';
import { fastAtoms, parseOrderBy, parseWhere, WhereError, whereToSql } from './where.ts';

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
/** As for a shape with three params. */
const parse = (source: string) => parseWhere(source, COLUMNS, 3);
const sql = async (source: string) => whereToSql((await parse(source)).expr);

describe('parseWhere accepts the subset and writes it back as SQL', () => {
  it.each([
    [`status = 'cancelled'`, `("status" = 'cancelled')`],
    ['fieldworker_id = $1', '("fieldworker_id" = $1)'],
    ['n != 3', '("n" <> 3)'],
    ['NOT done', '(NOT "done")'],
    ['done IS TRUE', '("done" IS TRUE)'],
    ['done IS NOT UNKNOWN', '("done" IS NOT UNKNOWN)'],
    ['name IS NOT NULL', '("name" IS NOT NULL)'],
    ['name ISNULL', '("name" IS NULL)'],
    ['n IS DISTINCT FROM 2', '("n" IS DISTINCT FROM 2)'],
    [`status IN ('a', 'b')`, `("status" IN ('a', 'b'))`],
    [`status NOT IN ('a')`, `("status" NOT IN ('a'))`],
    ['n BETWEEN 1 AND 2', '("n" BETWEEN 1 AND 2)'],
    ['n NOT BETWEEN SYMMETRIC 2 AND 1', '("n" NOT BETWEEN SYMMETRIC 2 AND 1)'],
    [`lower(name) LIKE 'a%'`, `(lower("name") LIKE 'a%')`],
    [`name NOT ILIKE '%x'`, `("name" NOT ILIKE '%x')`],
    // Types by the names Postgres gives them, however they were spelled.
    [`starts_at > '2024-01-01'::timestamp with time zone`, `("starts_at" > ('2024-01-01')::timestamptz)`],
    [`timestamptz '2024-01-01' < starts_at`, `(('2024-01-01')::timestamptz < "starts_at")`],
    ['CAST(n AS integer) = 1', '(("n")::int4 = 1)'],
    ['id::text = $1', '(("id")::text = $1)'],
    [`name::char = 'x'`, `(("name")::bpchar(1) = 'x')`],
    ['n::numeric(10,2) > 1.5e3', '(("n")::numeric(10,2) > 1.5e3)'],
    ['id::int[] IS NULL', '(("id")::int4[] IS NULL)'],
    ['-n + 2 * 3 % 4 > 0', '(((- "n") + ((2 * 3) % 4)) > 0)'],
    ['n - -1.5 > 0', '(("n" - (- 1.5)) > 0)'],
    // Postgres 16's number spellings, written back as any server reads them.
    ['n = 0x1F OR n > 1_000.5', '(("n" = 31) OR ("n" > 1000.5))'],
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
    // Every other spelling of a string becomes one we quote ourselves.
    [`name = E'\\x27'`, `("name" = '''')`],
    ['name = $$x$$', `("name" = 'x')`],
    // Comments are comments: nothing after them reaches Postgres.
    ['id = 1 -- OR password_hash', '("id" = 1)'],
    ['id = 1 /* */', '("id" = 1)'],
    [`coalesce(name, 'none') = 'none'`, `(coalesce("name", 'none') = 'none')`],
    ['nullif(n, 0) IS NULL', '(nullif("n", 0) IS NULL)'],
    ['greatest(n, 1) = least(n, 2)', '(greatest("n", 1) = least("n", 2))'],
    [`"lower"(name) = 'x'`, `(lower("name") = 'x')`],
    [`trim(both 'x' from name) = ''`, `(btrim("name", 'x') = '')`],
  ])('%s', async (source, expected) => {
    expect(await sql(source)).toBe(expected);
  });

  it('reports the parameters it uses', async () => {
    expect([...(await parse('n = $2 AND id = $1 OR name = $2')).params].sort()).toEqual([1, 2]);
  });

  it('writes parameters as the caller numbers them', async () => {
    expect(whereToSql((await parse('id = $1')).expr, (n) => `$${n + 3}`)).toBe('("id" = $4)');
  });
});

describe('parseWhere refuses, in Electric’s words', () => {
  /** The WhereError's message. */
  const refusal = (source: string) =>
    parse(source).then(
      () => 'accepted',
      (e: unknown) => (e instanceof WhereError ? e.message : `not a WhereError: ${e}`),
    );

  it.each([
    // Syntax errors are Postgres' own, located as Electric locates them: from the start of
    // the `SELECT 1 WHERE ` it wraps the clause in.
    ['1 x 1', 'At location 17: syntax error at or near "x"'],
    ['id = ', 'At location 20: syntax error at end of input'],
    ['', 'At location 15: syntax error at end of input'],
    ['n = 1 n = 2', 'At location 21: syntax error at or near "n"'],
    ['n = 1abc', 'At location 19: trailing junk after numeric literal at or near "1abc"'],
    ['id = $', 'At location 20: syntax error at or near "$"'],
    // Statements stacked after the clause, and clauses after it.
    ['true; DROP TABLE bookings', 'unescaped ";" causing statement split'],
    [`name = 'x'; DELETE FROM users`, 'unescaped ";" causing statement split'],
    ['id = 1 ORDER BY id', 'malformed query ending with SQL clauses'],
    ['id = 1 UNION SELECT 1', 'malformed query ending with SQL clauses'],
    ['id = 1 FOR UPDATE', 'malformed query ending with SQL clauses'],
    // Subqueries, however they are spelled.
    ['id IN (SELECT id FROM users)', 'At location 3: subqueries are not supported by this shape service'],
    ['(SELECT 1) = 1', 'At location 0: subqueries are not supported by this shape service'],
    ['EXISTS (SELECT 1)', 'At location 0: subqueries are not supported by this shape service'],
    ['id = ANY (SELECT id FROM users)', 'At location 3: subqueries are not supported by this shape service'],
    // Functions with side effects or that depend on anything but the row.
    ['pg_sleep(10) IS NULL', 'At location 0: unknown or unsupported function pg_sleep/1'],
    ['pg_catalog.pg_sleep(10) IS NULL', 'At location 0: unknown or unsupported function pg_sleep/1'],
    ['starts_at < now()', 'At location 12: unknown or unsupported function now/0'],
    ['random() < 0.5', 'At location 0: unknown or unsupported function random/0'],
    [`"Lower"(name) = 'x'`, 'At location 0: unknown or unsupported function "Lower"/1'],
    [`public.lower(name) = 'x'`, 'At location 0: unknown or unsupported function public.lower/1'],
    [
      `set_config('role', 'postgres', false) = ''`,
      'At location 0: unknown or unsupported function set_config/3',
    ],
    ['lower(name, name) = 1', 'At location 0: unknown or unsupported function lower/2'],
    ['count(*) > 1', 'At location 0: aggregation is not supported in this context'],
    [
      `lower(VARIADIC name) = 'x'`,
      'At location 0: explicit VARIADIC function calls are not currently supported',
    ],
    ['current_date > starts_at', 'At location 0: SQLValueFunction is not supported in this context'],
    // Other tables and columns the shape does not have.
    [`users.password_hash = 'x'`, 'At location 0: unknown reference users.password_hash'],
    [`password_hash = 'x'`, 'At location 0: unknown reference password_hash'],
    [`"Name" = 'x'`, 'At location 0: unknown reference "Name"'],
    [`name = 'x' AND nope`, 'At location 15: unknown reference nope'],
    [`U&"d\\0061ta" = 1`, 'At location 0: unknown reference data'],
    // Quoting tricks.
    [`name = 'unterminated`, `At location 22: unterminated quoted string at or near "'unterminated"`],
    [`"name = 'x'`, `At location 15: unterminated quoted identifier at or near ""name = 'x'"`],
    [`"" = 1`, 'At location 15: zero-length delimited identifier at or near """"'],
    ["name = 'x\0' OR true", 'invalid byte sequence for encoding "UTF8": 0x00'],
    // Operators and other syntax outside the subset.
    [`name ~ 'x'`, 'At location 5: unknown binary operator "~"'],
    ['~n = 1', 'At location 0: unknown unary operator "~"'],
    [`name SIMILAR TO 'x'`, 'At location 5: expression "~" of :AEXPR_SIMILAR is not currently supported'],
    [`name = 'a' COLLATE "C"`, 'At location 11: CollateClause is not supported in this context'],
    ['CASE WHEN done THEN 1 END = 1', 'At location 0: CaseExpr is not supported in this context'],
    [`name = B'101'`, 'At location 7: bit string constants are not supported in this context'],
    // Casts to anything but built-in types.
    ['id::regclass = 1', 'At location 4: unsupported type regclass'],
    ['id::public.uuid = $1', 'At location 4: unsupported type public.uuid'],
    [`starts_at > '1'::interval day`, 'At location 17: unsupported type modifier for interval'],
    // Parameters the shape has no value for.
    ['id = $0', 'At location 5: parameter $0 was not provided'],
    ['id = $4', 'At location 5: parameter $4 was not provided'],
  ])('%s', async (source, message) => {
    expect(await refusal(source)).toBe(message);
  });

  it('refuses nesting deep enough to exhaust a stack, without crashing', async () => {
    expect(await refusal(`${'('.repeat(20_000)}done${')'.repeat(20_000)}`)).toMatch(
      /^At location \d+: memory exhausted at or near "\("$/,
    );
    expect(await refusal(Array(100_000).fill('n').join(' + '))).toBe('stack depth limit exceeded');
  });
});

describe('fastAtoms: what JavaScript may decide without asking Postgres', () => {
  const types: Record<string, string> = { id: 'uuid', name: 'text', done: 'bool', n: 'float8' };
  const atoms = async (source: string) =>
    fastAtoms((await parse(source)).expr, (c) =>
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
  ])('%s', async (source, expected) => {
    expect(await atoms(source)).toEqual(expected);
  });
});

describe("parseOrderBy: a subset's order, written back as our own SQL", () => {
  const columns = new Set(['id', 'title']);

  it.each([
    ['title DESC NULLS LAST, id', '"title" DESC NULLS LAST, "id"'],
    ['lower(title)', 'lower("title")'],
    ['id ASC NULLS FIRST', '"id" ASC NULLS FIRST'],
  ])('%s', async (source, sql) => {
    expect(await parseOrderBy(source, columns)).toBe(sql);
  });

  it.each([
    ['nope', 'At location 0: unknown reference nope'],
    ['id; DROP TABLE users', 'unescaped ";" causing statement split'],
    ['(SELECT 1)', 'At location 0: subqueries are not supported by this shape service'],
    ['id USING <', 'At location 0: ORDER BY … USING is not supported'],
    ['id LIMIT 1', 'malformed query ending with SQL clauses'],
    ['id,', 'At location 3: syntax error at end of input'],
  ])('refuses %j', async (source, message) => {
    await expect(parseOrderBy(source, columns)).rejects.toThrow(message);
  });
});
