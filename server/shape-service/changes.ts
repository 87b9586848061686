// One replicated transaction, seen through one shape: which of its operations the shape's
// clients must hear about, and the messages Electric writes for them.
//
// With REPLICA IDENTITY FULL every update carries the old row, so the where clause is tested
// on both sides: in → in is an update, in → out a delete (the row moved out), out → in an
// insert (moved in). A changed primary key is a delete of the old key and an insert of the
// new one. Operation positions step by two inside a transaction, as Electric's do, leaving
// room for that split. The last message of the transaction in this shape says `last: true`.

import type { Row, ShapeDefinition } from './shape-definition.ts';
import { keyPrefix } from './snapshot.ts';
import type { Txn } from './transaction.ts';

/** One message of a shape's log, encoded as the client reads it. */
export interface LogEntry {
  readonly lsn: bigint;
  readonly op: number;
  readonly json: string;
  /** The last operation of its transaction in this shape. */
  readonly last: boolean;
}

export function rowKey(def: ShapeDefinition, row: Row): string {
  return (
    keyPrefix(def) +
    def.table.pk
      .map((c) => {
        const v = row[c];
        return v == null ? '_' : `"${v.replaceAll('/', '//')}"`;
      })
      .join('/')
  );
}

function pick(row: Row, columns: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

/** Log entries for `def` from `txn`; `matches` says whether a row is in the shape. */
export function entriesForShape(def: ShapeDefinition, txn: Txn, matches: (row: Row) => boolean): LogEntry[] {
  const selected = def.columns.map((c) => c.name);
  const relation = [def.table.schema, def.table.name];
  const full = def.replica === 'full';
  const messages: { op: number; body: Record<string, unknown> }[] = [];
  const headers = (operation: string, op: number, extra: Record<string, unknown> = {}) => ({
    operation,
    relation,
    txids: [txn.xid],
    lsn: String(txn.lsn),
    op_position: op,
    ...extra,
  });
  const insert = (row: Row, op: number, extra?: Record<string, unknown>) =>
    messages.push({
      op,
      body: { key: rowKey(def, row), value: pick(row, selected), headers: headers('insert', op, extra) },
    });
  const remove = (row: Row, op: number, extra?: Record<string, unknown>) =>
    messages.push({
      op,
      body: {
        key: rowKey(def, row),
        value: pick(row, full ? selected : def.table.pk),
        headers: headers('delete', op, extra),
      },
    });

  let changeIndex = 0;
  for (const item of txn.items) {
    if (item.kind !== 'insert' && item.kind !== 'update' && item.kind !== 'delete') continue;
    // Positions count the transaction's row changes, whatever table they are on.
    const op = changeIndex++ * 2;
    if (item.kind === 'insert') {
      if (item.rel.oid === def.table.oid && matches(item.new)) insert(item.new, op);
    } else if (item.kind === 'delete') {
      if (item.rel.oid === def.table.oid && matches(item.old)) remove(item.old, op);
    } else {
      if (item.rel.oid !== def.table.oid) continue;
      const newIn = matches(item.new);
      // Without the old row (the table lost REPLICA IDENTITY FULL) the old side is unknown;
      // assume it matched as the new one does, so an in-shape row still updates.
      const old = item.old ?? item.new;
      const oldIn = item.old ? matches(item.old) : newIn;
      if (oldIn && newIn) {
        const oldKey = rowKey(def, old);
        const newKey = rowKey(def, item.new);
        if (oldKey !== newKey) {
          remove(old, op, { key_change_to: newKey });
          insert(item.new, op + 1, { key_change_from: oldKey });
          continue;
        }
        const changed = selected.filter((c) => (old[c] ?? null) !== (item.new[c] ?? null));
        if (changed.length === 0) continue; // nothing this shape shows changed
        const body: Record<string, unknown> = {
          key: newKey,
          value: pick(item.new, full ? selected : [...new Set([...def.table.pk, ...changed])]),
          headers: headers('update', op),
        };
        if (full) body.old_value = pick(old, changed);
        messages.push({ op, body });
      } else if (oldIn) {
        remove(old, op);
      } else if (newIn) {
        insert(item.new, op);
      }
    }
  }

  return messages.map(({ op, body }, i) => {
    const last = i === messages.length - 1;
    if (last) (body.headers as Record<string, unknown>).last = true;
    return { lsn: txn.lsn, op, json: JSON.stringify(body), last };
  });
}
