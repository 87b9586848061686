// `npm run shapes`, the shape service alone, configured like Electric: DATABASE_URL,
// ELECTRIC_PORT, ELECTRIC_SECRET unless ELECTRIC_INSECURE=true, DELETE only with
// ELECTRIC_ENABLE_INTEGRATION_TESTING=true, shapes kept in ELECTRIC_STORAGE_DIR, responses cut
// at ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD; `--help` lists them all.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropInactiveSlots, freshDatabase } from '../helpers.ts';
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

  it('with ELECTRIC_SECRET: requires it, refuses DELETE, keeps its shapes and slot, and resumes them', async () => {
    const storage = mkdtempSync(path.join(os.tmpdir(), 'shapes-standalone-kept-'));
    const env = { DATABASE_URL: databaseUrl, ELECTRIC_SECRET: 'sesame', ELECTRIC_STORAGE_DIR: storage };
    const p = await spawnShapes(env);
    let handle: string | null = null;
    try {
      await p.ready();
      expect(p.output()).toContain(`Shape service on ${p.url}/v1/shape`);
      expect((await fetch(`${p.url}/v1/shape?table=items&offset=-1`)).status).toBe(401);
      const ok = await fetch(`${p.url}/v1/shape?table=items&offset=-1&secret=sesame`);
      expect(ok.status).toBe(200);
      handle = ok.headers.get('electric-handle');
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
    expect((await slotsLeft()).length).toBe(1);

    const again = await spawnShapes(env);
    try {
      await again.ready();
      const resumed = await fetch(
        `${again.url}/v1/shape?table=items&offset=0_0&handle=${handle}&secret=sesame`,
      );
      expect(resumed.status).toBe(200);
      expect(resumed.headers.has('electric-up-to-date')).toBe(true);
    } finally {
      await again.stop();
    }
  });

  it('--help lists every setting it honours', async () => {
    const help = await spawnShapes({ ELECTRIC_SECRET: 's' }, ['--help']);
    expect(await help.exited).toBe(0);
    for (const name of [
      'DATABASE_URL',
      'HOST',
      'ELECTRIC_PORT',
      'ELECTRIC_SECRET',
      'ELECTRIC_INSECURE',
      'ELECTRIC_ENABLE_INTEGRATION_TESTING',
      'ELECTRIC_STORAGE_DIR',
      'ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD',
      'LOG_LEVEL',
    ])
      expect(help.output()).toContain(name);
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
  await dropInactiveSlots(databaseUrl);
});
