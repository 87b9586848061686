// How a replica's Postgres is made and started, the same in the browser and in its seed
// (scripts/replica-seed.ts).

/**
 * initdb: IndexedDB gets each changed file whole, so a write to disk costs the WAL segment the
 * change is in: 1 MB segments instead of Postgres's 16 MB (fixed when the database is made, so
 * replicas made before keep theirs).
 */
export const REPLICA_INITDB_PARAMS = ['--wal-segsize=1'] as const;

/**
 * Every start, added to PGlite's own: Postgres zeroes its shared memory as it starts, and
 * initdb sized it for a server (128 MB of buffers, 100 connections). A replica is one backend
 * over files already in memory, so a small buffer pool costs a copy, not a disk read; the start
 * took 40 % less in bench:admin, and the tab's database holds 60 MB less.
 */
export const REPLICA_POSTGRES_SETTINGS = ['-c', 'shared_buffers=16MB', '-c', 'max_connections=4'] as const;
