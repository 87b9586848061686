// Identifiers as the shape API takes them: folded, quoted and refused as Postgres would.
import { describe, expect, it } from 'vitest';
import {
  parseColumnList,
  parseIdentifier,
  parseQualifiedName,
  quoteIdent,
  quoteLiteral,
} from './identifiers.ts';

describe('parseIdentifier', () => {
  it.each([
    ['items', 'items'],
    ['Items', 'items'],
    [' items ', 'items'],
    ['"Items"', 'Items'],
    ['"a ""quoted"" name"', 'a "quoted" name'],
    ['"x; DROP TABLE y"', 'x; DROP TABLE y'],
  ])('%s', (raw, name) => {
    expect(parseIdentifier(raw)).toEqual({ ok: true, value: name });
  });

  it.each([
    ['', /zero-length identifier/],
    ['""', /zero-length delimited identifier/],
    ['"open', /unterminated quoted identifier/],
    ['"a"b"', /invalid quoted identifier/],
    ['items; DROP TABLE users', /special characters/],
    ['1items', /special characters/],
    ['it-ems', /special characters/],
  ])('refuses %j', (raw, message) => {
    const r = parseIdentifier(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('names and lists', () => {
  it.each([
    ['items', { schema: null, name: 'items' }],
    ['public.items', { schema: 'public', name: 'items' }],
    ['"My Schema"."Items"', { schema: 'My Schema', name: 'Items' }],
    ['"a.b"', { schema: null, name: 'a.b' }],
  ])('%s', (text, value) => {
    expect(parseQualifiedName(text)).toEqual({ ok: true, value });
  });

  it('refuses more than two parts', () => {
    expect(parseQualifiedName('a.b.c')).toEqual({
      ok: false,
      error: 'invalid table name a.b.c: too many dots',
    });
  });

  it('splits column lists outside quotes', () => {
    expect(parseColumnList('id,"a,b",Title')).toEqual({ ok: true, value: ['id', 'a,b', 'title'] });
  });

  it('quotes what it writes', () => {
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
  });
});
