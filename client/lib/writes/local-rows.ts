// What every local write is made of: input checked with the schema the server checks it with
// (shared/schemas.ts), its first refusal a sentence for the form; and overlay rows holding
// exactly the replica's columns of their table, as the row will look once applied.
import type { z } from 'zod';
import { UserFacingError } from '../errors.ts';
import type { Replica } from '../replica/open-replica.ts';
import { replicaTables } from '../replica/schema.ts';

/** A form's input failed the shared schema: its first message, for the form's error line. */
export class InvalidInput extends UserFacingError {}

export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new InvalidInput(parsed.error.issues[0]?.message ?? 'Check the form.');
  return parsed.data;
}

/** The columns of `table` this replica holds, from the shape catalog. */
function columnsOf(replica: Replica, table: string): string[] {
  const t = replicaTables(replica.meta.role).find((r) => r.table === table);
  return t ? t.columns.map((c) => c.name) : [];
}

/** A row with exactly the replica's columns of `table`: what an overlay row must hold. */
export function overlayRow(
  replica: Replica,
  table: string,
  values: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(columnsOf(replica, table).map((c) => [c, values[c] ?? null]));
}
