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

export type ParamErrors = Record<string, string[]>;

const bool = (v: string | null): boolean | null | 'invalid' =>
  v === null ? null : v === 'true' ? true : v === 'false' ? false : 'invalid';

/** `params[1]=a&params[2]=b`, or `params={"1":"a","2":"b"}` (both are accepted by Electric). */
function whereParams(query: URLSearchParams, errors: ParamErrors): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const [k, v] of query) {
    const m = /^params\[([^\]]*)\]$/.exec(k);
    if (m) {
      out[m[1] ?? ''] = v;
      any = true;
    }
  }
  const json = query.get('params');
  if (json !== null) {
    try {
      const parsed: unknown = JSON.parse(json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
      for (const [k, v] of Object.entries(parsed)) out[k] = String(v);
      any = true;
    } catch {
      errors.params = ['params must be a JSON object such as {"1":"value"}, or given as params[1]=value'];
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
  // Subset snapshots (the client's requestSnapshot / on-demand mode) are not implemented:
  // answering them with the ordinary log would be silently wrong, so they are refused.
  if ([...query.keys()].some((k) => k.startsWith('subset__'))) {
    errors.subset = ['subset snapshots are not supported by this shape service'];
  }
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
