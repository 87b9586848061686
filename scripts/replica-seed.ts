// A Vite plugin that makes the replicas' seeds before the build, one per role: an empty replica
// (PGlite, initdb run, the role's schema and pglite-sync's tables made) as PGlite's own gzipped
// data-folder dump. The replica's worker starts a new device's database from it (PGlite's
// loadDataDir) instead of running initdb and the schema in the browser, which took most of a
// cold start there (bench:admin: PGlite.create 10.2 s with initdb, about 4 s from a seed).
//
// The seed is also smaller than what initdb leaves (10 MB instead of 31 MB, about 1 MB
// gzipped), which matters because IndexedDB stores each file of the database whole, and a first
// start unpacks and then writes all of it:
//  - no template databases (template0, template1: 7.4 MB each); nothing here creates databases;
//  - no recycled WAL segments waiting for reuse (7 MB of zeros), and none kept from now on
//    (wal_recycle off, min_wal_size 2 MB): a segment the database is done with is deleted.
// Seeds are made again when PGlite, the recipe or a schema changes, and kept beside the worker
// (git-ignored).
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import type { Plugin } from 'vite';
import { REPLICA_INITDB_PARAMS } from '../client/lib/replica/postgres-params.ts';
import { applySchema, replicaSchema } from '../client/lib/replica/schema.ts';
import type { ShapeRole } from '../shared/shape-catalog.ts';

const SEED_DIR = path.resolve(import.meta.dirname, '../client/lib/replica/seed');
const ROLES: readonly ShapeRole[] = ['admin', 'fieldworker'];
export const seedFile = (role: ShapeRole) => path.join(SEED_DIR, `replica-seed-${role}.tar.gz`);
const STAMP_FILE = path.join(SEED_DIR, 'replica-seed.json');
const SETTINGS = ["wal_recycle = 'off'", "min_wal_size = '2MB'"] as const;
/** Bump when the recipe below changes: seeds on disk from another recipe are made again. */
const RECIPE = 2;

export function replicaSeed(): Plugin {
  return {
    name: 'replica-seed',
    async buildStart() {
      await ensureReplicaSeeds();
    },
  };
}

/** Makes the seeds unless those on disk were made by this PGlite, recipe and schemas. */
export async function ensureReplicaSeeds(): Promise<void> {
  const stamp = JSON.stringify({
    pglite: pgliteVersion(),
    initdb: REPLICA_INITDB_PARAMS,
    SETTINGS,
    RECIPE,
    schemas: ROLES.map(replicaSchema),
  });
  const made = ROLES.every((role) => existsSync(seedFile(role)));
  if (made && existsSync(STAMP_FILE) && readFileSync(STAMP_FILE, 'utf8') === stamp) return;
  const work = mkdtempSync(path.join(os.tmpdir(), 'replica-seed-'));
  try {
    const base = path.join(work, 'base');
    const pg = await PGlite.create({ dataDir: base, initDbStartParams: [...REPLICA_INITDB_PARAMS] });
    await pg.exec("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
    for (const db of ['template0', 'template1']) await pg.exec(`DROP DATABASE ${db}`);
    for (const setting of SETTINGS) await pg.exec(`ALTER SYSTEM SET ${setting}`);
    await pg.close();
    mkdirSync(SEED_DIR, { recursive: true });
    for (const role of ROLES) {
      const dataDir = path.join(work, role);
      cpSync(base, dataDir, { recursive: true });
      const replica = await PGlite.create({ dataDir, extensions: { sync: electricSync() } });
      await applySchema(replica, role);
      await replica.sync.initMetadataTables();
      await dumpTrimmed(replica, dataDir, seedFile(role));
    }
    writeFileSync(STAMP_FILE, stamp);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Closes the database and writes its dump, without the WAL segments made only for reuse. */
async function dumpTrimmed(pg: PGlite, dataDir: string, file: string): Promise<void> {
  await pg.exec('CHECKPOINT');
  const { rows } = await pg.query<{ segment: string }>(
    'SELECT pg_walfile_name(redo_lsn) AS segment FROM pg_control_checkpoint()',
  );
  await pg.close();
  // Only the segment holding the last checkpoint is needed.
  const walDir = path.join(dataDir, 'pg_wal');
  for (const name of readdirSync(walDir)) {
    if (/^[0-9A-F]{24}$/.test(name) && name !== rows[0]?.segment) rmSync(path.join(walDir, name));
  }
  const reopened = await PGlite.create({ dataDir });
  const dump = await reopened.dumpDataDir('gzip');
  await reopened.close();
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
}

function pgliteVersion(): string {
  const manifest = path.resolve(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
