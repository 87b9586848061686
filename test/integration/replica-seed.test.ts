// The replicas' seeds (scripts/replica-seed.ts): what a new device's database starts from
// instead of running initdb in the browser. Each must open in PGlite as a finished replica of
// its role: its schema current (so the worker changes nothing), pglite-sync's tables made, and
// none of what the seed leaves out to stay small.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { describe, expect, it } from 'vitest';
import { replicaSchema } from '../../client/lib/replica/schema.ts';
import { ensureReplicaSeeds, seedFile } from '../../scripts/replica-seed.ts';

describe('the replica seeds', () => {
  for (const role of ['admin', 'fieldworker'] as const) {
    it(`the ${role} seed opens as an empty ${role} replica with its current schema`, async () => {
      await ensureReplicaSeeds();
      const pg = await PGlite.create({
        loadDataDir: new Blob([readFileSync(seedFile(role))]),
        extensions: { sync: electricSync() },
      });
      try {
        const { rows } = await pg.query<{ value: string }>(
          "SELECT value FROM replica_meta WHERE key = 'schema'",
        );
        expect(rows[0]?.value).toBe(replicaSchema(role));
        const databases = await pg.query<{ datname: string }>('SELECT datname FROM pg_database');
        expect(databases.rows.map((r) => r.datname)).toEqual(['postgres']);
        const settings = await pg.query<{ segment: string; recycle: string }>(
          "SELECT current_setting('wal_segment_size') AS segment, current_setting('wal_recycle') AS recycle",
        );
        expect(settings.rows[0]).toEqual({ segment: '1MB', recycle: 'off' });
        const empty = await pg.query<{ n: number }>(
          'SELECT (SELECT count(*) FROM bookings_synced)::int + (SELECT count(*) FROM electric.subscriptions_metadata)::int AS n',
        );
        expect(empty.rows[0]?.n).toBe(0);
        // A replica made from the seed takes writes and keeps them across a checkpoint.
        await pg.query(
          "INSERT INTO pending_writes (write_id, user_id, procedure, input, entity_table, entity_id, summary) VALUES (gen_random_uuid(), gen_random_uuid(), 'p', '{}', 'bookings', 'b', 's')",
        );
        await pg.exec('CHECKPOINT');
        const queued = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM pending_writes');
        expect(queued.rows[0]?.n).toBe(1);
      } finally {
        await pg.close();
      }
    });
  }
});
