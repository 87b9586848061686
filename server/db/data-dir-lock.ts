// One server per data folder: a pid file that a second `npm start` finds and names (and,
// for tests that boot several servers in one process, a registry of folders held here).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataDirInUseError, isAlive } from './embedded-postgres.ts';

const heldByThisProcess = new Set<string>();

export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const file = path.join(dataDir, 'server.pid');
  const holder = heldByThisProcess.has(file) ? process.pid : readHolder(file);
  if (holder !== null) {
    throw new DataDirInUseError(
      `The data folder ${dataDir} is in use by another server (pid ${holder}). ` +
        'Stop that one first, or give this one its own folder with DATA_DIR.',
    );
  }
  writeFileSync(file, String(process.pid));
  heldByThisProcess.add(file);
  return () => {
    heldByThisProcess.delete(file);
    rmSync(file, { force: true });
  };
}

/** The live process holding the lock file, or null when there is none or it has died. */
function readHolder(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isInteger(pid) && pid !== process.pid && isAlive(pid) ? pid : null;
}

/** The live process (not this one) holding the data folder, or null: `create-admin` asks before starting Postgres. */
export function dataDirHolder(dataDir: string): number | null {
  return readHolder(path.join(dataDir, 'server.pid'));
}
