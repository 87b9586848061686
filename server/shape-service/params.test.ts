// The query parameters of GET /v1/shape, checked as Electric checks them: each wrong one named,
// with Electric's own sentence.
import { describe, expect, it } from 'vitest';
import { BEFORE_ALL } from './offset.ts';
import {
  type ParamErrors,
  parseFollowParams,
  parseShapeParams,
  parseSubsetParams,
  queryWithBody,
} from './params.ts';

const query = (q: string) => new URLSearchParams(q);

function follow(q: string) {
  const errors: ParamErrors = {};
  return { follow: parseFollowParams(query(q), errors), errors };
}

function shape(q: string) {
  const errors: ParamErrors = {};
  return { shape: parseShapeParams(query(q), errors), errors };
}

describe('parseFollowParams', () => {
  it.each([
    ['offset=-1', { offset: BEFORE_ALL, handle: null, live: false, sse: false, cursor: null }],
    // A handle with -1 or now is ignored, as Electric ignores it.
    ['offset=-1&handle=h', { offset: BEFORE_ALL, handle: null, live: false, sse: false, cursor: null }],
    ['offset=now&handle=h', { offset: 'now', handle: null, live: false, sse: false, cursor: null }],
    [
      'offset=0_0&handle=h',
      { offset: { lsn: 0n, op: 0 }, handle: 'h', live: false, sse: false, cursor: null },
    ],
    [
      'offset=5_2&handle=h&live=true&cursor=9',
      { offset: { lsn: 5n, op: 2 }, handle: 'h', live: true, sse: false, cursor: '9' },
    ],
    [
      'offset=5_2&handle=h&live=true&live_sse=true',
      { offset: { lsn: 5n, op: 2 }, handle: 'h', live: true, sse: true, cursor: null },
    ],
    [
      'offset=5_2&handle=h&live=true&experimental_live_sse=true',
      { offset: { lsn: 5n, op: 2 }, handle: 'h', live: true, sse: true, cursor: null },
    ],
  ])('%s', (q, expected) => {
    const r = follow(q);
    expect(r.errors).toEqual({});
    expect(r.follow).toEqual(expected);
  });

  it.each([
    ['', { offset: ["can't be blank"] }],
    ['offset=banana', { offset: ['has invalid format'] }],
    ['offset=0_0', { handle: ["can't be blank when offset != -1"] }],
    ['offset=-1&live=true', { live: ["can't be true when offset == -1"] }],
    ['offset=now&live=true', { live: ["can't be true when offset is 'now'"] }],
    ['offset=1_0&handle=h&live=yes', { live: ['must be true or false'] }],
    ['offset=1_0&handle=h&live_sse=true', { live_sse: ["can't be true unless live is also true"] }],
    ['offset=1_0&handle=h&live=true&live_sse=1', { live_sse: ['must be true or false'] }],
  ])('refuses %j', (q, errors) => {
    const r = follow(q);
    expect(r.follow).toBeNull();
    expect(r.errors).toEqual(errors);
  });
});

describe('parseShapeParams', () => {
  it.each([
    ['table=items', { table: 'items', replica: 'default', log: 'full' }],
    [
      'table=public.items&where=id%20%3D%20%241&params[1]=7&columns=id,%22Title%22&replica=full&log=changes_only',
      {
        table: 'public.items',
        where: 'id = $1',
        params: { 1: '7' },
        columns: ['id', 'Title'],
        replica: 'full',
        log: 'changes_only',
      },
    ],
    [
      'table=items&params=%7B%221%22%3A%22a%22%2C%222%22%3A2%7D',
      { table: 'items', params: { 1: 'a', 2: '2' }, replica: 'default', log: 'full' },
    ],
    // Nested or array forms are not parameters of this API: ignored, as unknown ones are.
    ['table=items&params[1][x]=a&where[]=true', { table: 'items', replica: 'default', log: 'full' }],
  ])('%s', (q, expected) => {
    const r = shape(q);
    expect(r.errors).toEqual({});
    // toEqual: a key the query did not set must be absent (or undefined), not filled in.
    expect(r.shape).toEqual(expected);
  });

  it.each([
    ['', { table: ["can't be blank"] }],
    ['table=items&columns=id,', { columns: ['invalid zero-length identifier'] }],
    [
      'table=items&columns=id;drop',
      { columns: ['invalid unquoted identifier contains special characters: id;drop'] },
    ],
    ['table=items&replica=partial', { replica: ['must be "default" or "full"'] }],
    ['table=items&log=some', { log: ['must be "full" or "changes_only"'] }],
    [
      'table=items&params=%5B1%5D',
      { params: ['params must be a JSON object such as {"1":"value"}, or given as params[1]=value'] },
    ],
  ])('refuses %j', (q, errors) => {
    const r = shape(q);
    expect(r.shape).toBeNull();
    expect(r.errors).toEqual(errors);
  });
});

describe('subset parameters', () => {
  const subset = (q: string) => {
    const errors: ParamErrors = {};
    return { subset: parseSubsetParams(new URLSearchParams(q), errors), errors };
  };

  it('reads subset__where, subset__params (either form), order_by, limit and offset', () => {
    expect(
      subset('subset__where=id%3D%241&subset__params[1]=7&subset__order_by=id&subset__limit=2').subset,
    ).toEqual({
      where: 'id=$1',
      params: { 1: '7' },
      orderBy: 'id',
      limit: 2,
      offset: undefined,
    });
    expect(subset('subset__params=%7B%221%22%3A%22x%22%7D').subset?.params).toEqual({ 1: 'x' });
  });

  it.each([
    ['subset__limit=2', { order_by: ['order_by is required when limit or offset is present'] }],
    ['subset__limit=-1&subset__order_by=id', { limit: ['must be greater than 0'] }],
    ['subset__offset=1.5&subset__order_by=id', { offset: ['is invalid'] }],
    [
      'subset__params=%5B%5D',
      {
        params: [
          'subset__params must be a JSON object such as {"1":"value"}, or given as subset__params[1]=value',
        ],
      },
    ],
  ])('refuses %j under "subset"', (q, errors) => {
    const r = subset(q);
    expect(r.subset).toBeNull();
    expect(r.errors).toEqual({ subset: errors });
  });

  it('takes a POST body as Electric does: subset keys from the body, the rest joins the query', () => {
    const q = queryWithBody(new URLSearchParams('table=items&offset=-1'), {
      where: 'n = $1',
      params: { 1: 2 },
      limit: 3,
      handle: 'h',
    });
    expect(q instanceof URLSearchParams && Object.fromEntries(q)).toEqual({
      table: 'items',
      offset: '-1',
      subset__where: 'n = $1',
      subset__params: '{"1":2}',
      subset__limit: '3',
      handle: 'h',
    });
    const nested = queryWithBody(new URLSearchParams(), { where: 'shape where', subset: { where: 'x' } });
    expect(nested instanceof URLSearchParams && Object.fromEntries(nested)).toEqual({
      where: 'shape where',
      subset__where: 'x',
    });
    expect(queryWithBody(new URLSearchParams(), [1])).toBe('Request body must be a JSON object');
  });
});
