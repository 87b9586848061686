// How a replica's database is made, the same in the browser (initdb) and in its seed
// (scripts/replica-seed.ts). IndexedDB gets each changed file whole, so a write to disk costs
// the WAL segment the change is in: 1 MB segments instead of Postgres's 16 MB (fixed when the
// database is made, so replicas made before keep theirs).
export const REPLICA_INITDB_PARAMS = ['--wal-segsize=1'] as const;
