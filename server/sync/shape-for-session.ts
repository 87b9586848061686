// The shape a session may sync under a name: the catalog's entry for the session's role
// (shared/shape-catalog.ts), with each `$n` filled from the session. Nothing here comes from
// the request but the name.
import { isShapeName, shapeView } from '../../shared/shape-catalog.ts';
import type { Session } from '../auth/sessions.ts';
import type { ShapeParams } from '../shape-service/shape-definition.ts';

export type ShapeChoice =
  | { readonly ok: true; readonly shape: ShapeParams }
  | { readonly ok: false; readonly reason: 'unknown' | 'forbidden' };

/** The shape `name` means for this session, or why there is none. */
export function shapeForSession(name: string, session: Session): ShapeChoice {
  if (!isShapeName(name)) return { ok: false, reason: 'unknown' };
  if (session.role === 'customer') return { ok: false, reason: 'forbidden' };
  const view = shapeView(name, session.role);
  if (!view) return { ok: false, reason: 'forbidden' };
  const params = Object.fromEntries(view.params.map((field, i) => [String(i + 1), session[field]]));
  return {
    ok: true,
    shape: {
      table: view.table,
      where: view.where,
      params: view.params.length ? params : undefined,
      columns: view.columns.map((c) => c.name),
    },
  };
}
