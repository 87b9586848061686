// `npm run shapes`, the shape service alone, configured like Electric: DATABASE_URL,
// ELECTRIC_PORT, ELECTRIC_SECRET unless ELECTRIC_INSECURE=true, and DELETE only with
// ELECTRIC_ENABLE_INTEGRATION_TESTING=true.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helpers.ts';
import { spawnShapes } from './standalone-process.ts';

let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await freshDatabase();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(`CREATE TABLE items (id int PRIMARY KEY, title text); INSERT INTO items VALUES (1, 'one')`);
  await db.end();
});

const slotsLeft = async () => {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query(
    'SELECT slot_name FROM pg_replication_slots WHERE database = current_database()',
  );
  await db.end();
  return rows;
};

describe('npm run shapes', () => {
  it('will not start without a database or without a secret, and says why', async () => {
    const noDb = await spawnShapes({ ELECTRIC_SECRET: 's' });
    expect(await noDb.exited).toBe(1);
    expect(noDb.output()).toContain('npm run shapes needs DATABASE_URL');
    const noSecret = await spawnShapes({ DATABASE_URL: databaseUrl });
    expect(await noSecret.exited).toBe(1);
    expect(noSecret.output()).toContain('Set ELECTRIC_SECRET');
  });

  it('with ELECTRIC_SECRET: requires it, refuses DELETE, and drops its slot when stopped', async () => {
    const p = await spawnShapes({ DATABASE_URL: databaseUrl, ELECTRIC_SECRET: 'sesame' });
    try {
      await p.ready();
      expect(p.output()).toContain(`Shape service on ${p.url}/v1/shape`);
      expect((await fetch(`${p.url}/v1/shape?table=items&offset=-1`)).status).toBe(401);
      const ok = await fetch(`${p.url}/v1/shape?table=items&offset=-1&secret=sesame`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual([
        expect.objectContaining({ value: { id: '1', title: 'one' } }),
        expect.objectContaining({ headers: expect.objectContaining({ control: 'snapshot-end' }) }),
      ]);
      expect((await slotsLeft()).length).toBe(1);
      expect((await fetch(`${p.url}/v1/shape?table=items&secret=sesame`, { method: 'DELETE' })).status).toBe(
        405,
      );
    } finally {
      await p.stop();
    }
    expect(await p.exited).toBe(0);
    expect(await slotsLeft()).toEqual([]);
  });

  it('with ELECTRIC_INSECURE and ELECTRIC_ENABLE_INTEGRATION_TESTING: open, and DELETE allowed', async () => {
    const p = await spawnShapes({
      DATABASE_URL: databaseUrl,
      ELECTRIC_INSECURE: 'true',
      ELECTRIC_ENABLE_INTEGRATION_TESTING: 'true',
    });
    try {
      await p.ready();
      expect((await fetch(`${p.url}/v1/shape?table=items&offset=-1`)).status).toBe(200);
      expect((await fetch(`${p.url}/v1/shape?table=items`, { method: 'DELETE' })).status).toBe(202);
    } finally {
      await p.stop();
    }
  });
});

afterAll(async () => {
  expect(await slotsLeft()).toEqual([]);
});
