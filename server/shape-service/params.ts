// The query parameters of GET /v1/shape, checked as Electric checks them. Unknown parameters
// are ignored; errors come back as Electric words them: 400 {"message":"Invalid request",
// "errors":{"<param>":["<sentence>"]}}.
import { parseColumnList } from './identifiers.ts';
import { BEFORE_ALL, type LogOffset, parseOffset } from './offset.ts';
import type { LogMode, Replica, ShapeParams } from './shape-definition.ts';

/** How a client follows a shape: where it is, and how it wants to wait. */
export interface FollowParams {
  readonly offset: LogOffset | 'now';
  readonly handle: string | null;
  readonly live: boolean;
  readonly sse: boolean;
  readonly cursor: string | null;
}

/** Errors by parameter; a subset's are nested by its own keys, as Electric nests them. */
export type ParamErrors = Record<string, string[] | Record<string, string[]>>;

/** A subset snapshot asked for (`subset__*` on GET, or the POST body), before it is checked. */
export interface SubsetParams {
  readonly where?: string | undefined;
  /** `$1`, `$2`, … of the subset's where, by number. */
  readonly params: Readonly<Record<string, string>>;
  readonly orderBy?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

const bool = (v: string | null): boolean | null | 'invalid' =>
  v === null ? null : v === 'true' ? true : v === 'false' ? false : 'invalid';

/**
 * `params[1]=a&params[2]=b`, or `params={"1":"a","2":"b"}` (both are accepted by Electric);
 * `name` is `subset__params` for a subset's.
 */
function whereParams(
  query: URLSearchParams,
  errors: ParamErrors,
  name = 'params',
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const [k, v] of query) {
    const position = k.startsWith(`${name}[`) ? /^\[([^\]]*)\]$/.exec(k.slice(name.length)) : null;
    if (position) {
      out[position[1] ?? ''] = v;
      any = true;
    }
  }
  const json = query.get(name);
  if (json !== null) {
    try {
      const parsed: unknown = JSON.parse(json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
      for (const [k, v] of Object.entries(parsed)) out[k] = String(v);
      any = true;
    } catch {
      errors.params = [`${name} must be a JSON object such as {"1":"value"}, or given as ${name}[1]=value`];
    }
  }
  return any ? out : undefined;
}

/** The shape's definition parameters (table, where, params, columns, replica, log). */
export function parseShapeParams(query: URLSearchParams, errors: ParamErrors): ShapeParams | null {
  const table = query.get('table');
  if (!table) errors.table = ["can't be blank"];
  let columns: string[] | undefined;
  const columnsText = query.get('columns');
  if (columnsText !== null) {
    const parsed = parseColumnList(columnsText);
    if (parsed.ok) columns = parsed.value;
    else errors.columns = [parsed.error];
  }
  const replica = query.get('replica') ?? 'default';
  if (replica !== 'default' && replica !== 'full') errors.replica = ['must be "default" or "full"'];
  const log = query.get('log') ?? 'full';
  if (log !== 'full' && log !== 'changes_only') errors.log = ['must be "full" or "changes_only"'];
  const params = whereParams(query, errors);
  if (!table || Object.keys(errors).length) return null;
  return {
    table,
    where: query.get('where') ?? undefined,
    params,
    columns,
    replica: replica as Replica,
    log: log as LogMode,
  };
}

/** offset, handle, live, live_sse / experimental_live_sse, cursor. */
export function parseFollowParams(query: URLSearchParams, errors: ParamErrors): FollowParams | null {
  const offsetText = query.get('offset');
  let offset: LogOffset | 'now' | null = null;
  if (offsetText === null) errors.offset = ["can't be blank"];
  else {
    offset = parseOffset(offsetText);
    if (!offset) errors.offset = ['has invalid format'];
  }
  const live = bool(query.get('live'));
  if (live === 'invalid') errors.live = ['must be true or false'];
  const sseParam = query.get('live_sse') ?? query.get('experimental_live_sse');
  const sse = bool(sseParam);
  if (sse === 'invalid') errors.live_sse = ['must be true or false'];
  const handle = query.get('handle');
  const beginning = offset === 'now' || offset === BEFORE_ALL;
  if (offset && !beginning && !handle) errors.handle = ["can't be blank when offset != -1"];
  if (offset === BEFORE_ALL && live === true) errors.live = ["can't be true when offset == -1"];
  if (offset === 'now' && live === true) errors.live = ["can't be true when offset is 'now'"];
  if (sse === true && live !== true) errors.live_sse = ["can't be true unless live is also true"];
  if (Object.keys(errors).length || !offset) return null;
  return {
    offset,
    // A handle with -1 or now is ignored, as Electric ignores it.
    handle: beginning ? null : handle,
    live: live === true,
    sse: sse === true,
    cursor: query.get('cursor'),
  };
}

/** Whether the request asks for a subset snapshot rather than the shape's log. */
export const asksForSubset = (query: URLSearchParams): boolean =>
  [...query.keys()].some((k) => k.startsWith('subset__'));

/** `subset__where`, `subset__params`, `subset__order_by`, `subset__limit`, `subset__offset`. */
export function parseSubsetParams(query: URLSearchParams, errors: ParamErrors): SubsetParams | null {
  const own: Record<string, string[]> = {};
  const get = (k: string) => query.get(`subset__${k}`) ?? undefined;
  const count = (k: 'limit' | 'offset', min: number, says: string): number | undefined => {
    const text = get(k);
    if (text === undefined) return undefined;
    const n = /^-?[0-9]+$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n)) own[k] = ['is invalid'];
    else if (n < min) own[k] = [says];
    return n;
  };
  const limit = count('limit', 1, 'must be greater than 0');
  const offset = count('offset', 0, 'must be greater than or equal to 0');
  const orderBy = get('order_by');
  if ((limit !== undefined || offset !== undefined) && !orderBy) {
    own.order_by = ['order_by is required when limit or offset is present'];
  }
  const params = whereParams(query, own, 'subset__params') ?? {};
  if (Object.keys(own).length) {
    errors.subset = own;
    return null;
  }
  return { where: get('where'), params, orderBy, limit, offset };
}

const SUBSET_KEYS = ['where', 'order_by', 'limit', 'offset', 'params', 'where_expr', 'order_by_expr'];

/**
 * The query of a POST, as Electric reads one: the body's `where`, `order_by`, `limit`,
 * `offset` and `params` (or its `subset` object) are the subset's; any other key of the body
 * joins the query string. Null (with the sentence) when the body is not a JSON object.
 */
export function queryWithBody(query: URLSearchParams, body: unknown): URLSearchParams | string {
  if (body === undefined || body === null || body === '') return query;
  if (typeof body !== 'object' || Array.isArray(body)) return 'Request body must be a JSON object';
  const merged = new URLSearchParams(query);
  const record = body as Record<string, unknown>;
  const nested =
    record.subset && typeof record.subset === 'object' ? (record.subset as Record<string, unknown>) : null;
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined || v === null || (k === 'subset' && nested)) continue;
    merged.set(!nested && SUBSET_KEYS.includes(k) ? `subset__${k}` : k, text(v));
  }
  for (const [k, v] of Object.entries(nested ?? {})) {
    if (v !== undefined && v !== null) merged.set(`subset__${k}`, text(v));
  }
  return merged;
}
