// Log offsets and LSNs, as the Electric protocol writes them.
//
// An offset names a position in one shape's log: `-1` is before everything, `0_<k>` are the
// chunks of the initial snapshot ("virtual" offsets), `0_inf` is the end of the snapshot, and
// `<lsn>_<op>` is operation `op` of the transaction that committed at WAL position `lsn`
// (decimal). Clients only ever hand back offsets the server gave them, plus one derived
// form: after an SSE `up-to-date` the client continues from `<global_last_seen_lsn>_0`.

export interface LogOffset {
  /** -1 before all, 0 for the snapshot, else the commit LSN of a transaction. */
  readonly lsn: bigint;
  /** Position inside the transaction (or snapshot chunk); Infinity is written `inf`. */
  readonly op: number;
}

export const BEFORE_ALL: LogOffset = { lsn: -1n, op: 0 };
/** The end of the snapshot: every real (replicated) offset is after it. */
export const SNAPSHOT_END: LogOffset = { lsn: 0n, op: Number.POSITIVE_INFINITY };

const OFFSET = /^(0|[1-9][0-9]{0,19})_(0|[1-9][0-9]{0,15}|inf)$/;

/** Parses an offset parameter; null when it is not one. */
export function parseOffset(text: string): LogOffset | 'now' | null {
  if (text === '-1') return BEFORE_ALL;
  if (text === 'now') return 'now';
  const m = OFFSET.exec(text);
  if (!m?.[1] || !m[2]) return null;
  const lsn = BigInt(m[1]);
  if (lsn > 0xffff_ffff_ffff_ffffn) return null;
  return { lsn, op: m[2] === 'inf' ? Number.POSITIVE_INFINITY : Number(m[2]) };
}

export function formatOffset(offset: LogOffset): string {
  if (offset.lsn < 0n) return '-1';
  return `${offset.lsn}_${offset.op === Number.POSITIVE_INFINITY ? 'inf' : offset.op}`;
}

export function compareOffsets(a: LogOffset, b: LogOffset): number {
  if (a.lsn !== b.lsn) return a.lsn < b.lsn ? -1 : 1;
  return a.op === b.op ? 0 : a.op < b.op ? -1 : 1;
}

export function maxOffset(a: LogOffset, b: LogOffset): LogOffset {
  return compareOffsets(a, b) >= 0 ? a : b;
}

/** `16/B374D848` (either case, any zero padding) as a number. */
export function parseLsn(text: string): bigint {
  const [high, low] = text.split('/');
  if (high === undefined || low === undefined) throw new Error(`Not an LSN: ${JSON.stringify(text)}`);
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffff_ffffn).toString(16).toUpperCase()}`;
}
