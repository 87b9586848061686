// Shape logs on disk, so a restart (a deploy) resumes every device from its offset instead of
// making each refetch everything. One folder per database the service streams from:
//
//   service.json            the replication slot and publication this folder's logs follow
//   <handle>/chunk-<i>.json  a sealed snapshot chunk, the response body as served
//   <handle>/log            one line per log entry: `<lsn> <op> <1 if last of its txn> <json>`
//   <handle>/shape.json      written when the snapshot is complete: what to restore it from
//
// Writes are plain appends made before the slot is acknowledged past them, so whatever a
// crash cuts off is streamed again from the slot (and a half-written last line is dropped).
// A folder without shape.json is a snapshot that never finished: it is deleted on load.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { LogEntry } from './changes.ts';
import type { ShapeParams } from './shape-definition.ts';
import type { SnapshotRecord } from './snapshot.ts';

/** What shape.json holds. */
export interface StoredShape {
  readonly handle: string;
  readonly params: ShapeParams;
  /** The definition's key, table and columns when stored: a restore under another schema is refused. */
  readonly key: string;
  readonly tableOid: number;
  readonly columns: readonly { readonly name: string; readonly typeOid: number }[];
  readonly snapshot: SnapshotRecord;
  readonly chunks: number;
  readonly snapshotRows: number;
}

/** A stored shape as read back: its record, chunk bodies and log entries. */
export interface LoadedShape {
  readonly stored: StoredShape;
  readonly chunks: Buffer[];
  readonly entries: LogEntry[];
}

export interface ServiceState {
  readonly slot: string;
  readonly publication: string;
}

/** Writes one shape's files. */
export class ShapeFiles {
  private logFd: number | null = null;

  constructor(readonly dir: string) {}

  saveChunk(index: number, body: Buffer): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(path.join(this.dir, `chunk-${index}.json`), body);
  }

  appendEntries(entries: readonly LogEntry[]): void {
    if (this.logFd === null) {
      mkdirSync(this.dir, { recursive: true });
      this.logFd = openSync(path.join(this.dir, 'log'), 'a');
    }
    let text = '';
    for (const e of entries) text += `${e.lsn} ${e.op} ${e.last ? 1 : 0} ${e.json}\n`;
    writeSync(this.logFd, text);
  }

  /** The snapshot is complete: from now on the shape is restored after a restart. */
  finish(stored: StoredShape): void {
    mkdirSync(this.dir, { recursive: true });
    writeAtomically(path.join(this.dir, 'shape.json'), JSON.stringify(stored));
  }

  close(): void {
    if (this.logFd !== null) closeSync(this.logFd);
    this.logFd = null;
  }

  /** The shape was retired: nothing of it is kept. */
  remove(): void {
    this.close();
    void rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }
}

export class ShapeStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  files(handle: string): ShapeFiles {
    return new ShapeFiles(path.join(this.dir, handle));
  }

  readState(): ServiceState | null {
    try {
      const state = JSON.parse(readFileSync(path.join(this.dir, 'service.json'), 'utf8')) as ServiceState;
      return typeof state.slot === 'string' && typeof state.publication === 'string' ? state : null;
    } catch {
      return null;
    }
  }

  writeState(state: ServiceState): void {
    writeAtomically(path.join(this.dir, 'service.json'), JSON.stringify(state));
  }

  /** Every complete stored shape; unfinished ones are deleted. */
  load(): LoadedShape[] {
    const out: LoadedShape[] = [];
    for (const name of readdirSync(this.dir, { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      const dir = path.join(this.dir, name.name);
      const loaded = existsSync(path.join(dir, 'shape.json')) ? readShape(dir) : null;
      if (loaded) out.push(loaded);
      else rmSync(dir, { recursive: true, force: true });
    }
    return out;
  }

  /** Forgets every shape (the slot they followed is gone). */
  clear(): void {
    for (const name of readdirSync(this.dir, { withFileTypes: true })) {
      if (name.isDirectory()) rmSync(path.join(this.dir, name.name), { recursive: true, force: true });
    }
  }
}

function readShape(dir: string): LoadedShape | null {
  try {
    const stored = JSON.parse(readFileSync(path.join(dir, 'shape.json'), 'utf8')) as StoredShape;
    const chunks: Buffer[] = [];
    for (let i = 0; i < stored.chunks; i++) chunks.push(readFileSync(path.join(dir, `chunk-${i}.json`)));
    const entries: LogEntry[] = [];
    const logPath = path.join(dir, 'log');
    if (existsSync(logPath)) {
      const text = readFileSync(logPath, 'utf8');
      // A line without its newline was cut off mid-write; the slot streams it again.
      const whole = text.slice(0, text.lastIndexOf('\n') + 1);
      if (whole.length !== text.length) writeFileSync(logPath, whole);
      for (const line of whole.split('\n')) {
        if (!line) continue;
        const [lsn, op, last] = line.split(' ', 3);
        const json = line.slice((lsn?.length ?? 0) + (op?.length ?? 0) + (last?.length ?? 0) + 3);
        entries.push({ lsn: BigInt(lsn ?? '0'), op: Number(op), last: last === '1', json });
      }
    }
    return { stored, chunks, entries };
  } catch {
    return null;
  }
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
