// SQL identifiers as the shape API takes them: `table=public.items`, `table="My Schema"."Items"`,
// `columns=id,"Title"`. Unquoted names fold to lower case, as Postgres folds them; quoted ones
// keep their case and may hold anything, with `""` for a quote.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** One identifier, quoted or not. */
export function parseIdentifier(raw: string): Parsed<string> {
  const text = raw.trim();
  if (text.startsWith('"')) {
    if (text.length < 2 || !text.endsWith('"'))
      return { ok: false, error: `unterminated quoted identifier ${text}` };
    const inner = text.slice(1, -1);
    if (inner.replaceAll('""', '').includes('"')) {
      return { ok: false, error: `invalid quoted identifier ${text}` };
    }
    const name = inner.replaceAll('""', '"');
    if (name === '') return { ok: false, error: 'invalid zero-length delimited identifier' };
    return { ok: true, value: name };
  }
  if (text === '') return { ok: false, error: 'invalid zero-length identifier' };
  if (!UNQUOTED.test(text)) {
    return { ok: false, error: `invalid unquoted identifier contains special characters: ${text}` };
  }
  return { ok: true, value: text.toLowerCase() };
}

/** `table`, `schema.table`, with either part quoted. */
export function parseQualifiedName(text: string): Parsed<{ schema: string | null; name: string }> {
  const parts = splitOutsideQuotes(text, '.');
  if (parts.length > 2) return { ok: false, error: `invalid table name ${text}: too many dots` };
  const parsed = parts.map(parseIdentifier);
  for (const p of parsed) if (!p.ok) return p;
  const values = parsed.map((p) => (p.ok ? p.value : ''));
  return parts.length === 2
    ? { ok: true, value: { schema: values[0] ?? null, name: values[1] ?? '' } }
    : { ok: true, value: { schema: null, name: values[0] ?? '' } };
}

/** `id,"Title",done` */
export function parseColumnList(text: string): Parsed<string[]> {
  const names: string[] = [];
  for (const part of splitOutsideQuotes(text, ',')) {
    const p = parseIdentifier(part);
    if (!p.ok) return p;
    names.push(p.value);
  }
  return { ok: true, value: names };
}
