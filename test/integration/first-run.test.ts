// A real first run, without demo data: the boot step that gives an empty database its settings
// row and email templates, and the whole way from an empty data folder to a customer's
// confirmation email: npm start → create-admin → set the password → sign in → change a
// setting → a booking inserted by plain SQL → its confirmation in the dev mailbox.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSession, SESSION_COOKIE } from '../../server/auth/sessions.ts';
import { startServer } from '../../server/boot.ts';
import { loadConfig } from '../../server/config.ts';
import { embeddedDatabaseUrl, readRecordedPort } from '../../server/db/embedded-postgres.ts';
import { createPool } from '../../server/db/pool.ts';
import { FIRST_RUN_SETTINGS, firstRunTimeZone } from '../../server/first-run.ts';
import { DEFAULT_TEMPLATES } from '../../server/mail/default-templates.ts';
import { createAdminCommand } from './cli-helpers.ts';
import { freePort } from './free-port.ts';
import { callerFor, eventually, freshDatabase, silentLog, testCookies } from './helpers.ts';
import { killAllServers, spawnServer } from './server-process-helpers.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bookings-first-run-'));
chmodSync(dataDir, 0o755); // Postgres runs as the `postgres` OS user when we are root
afterAll(() => {
  killAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the first-run boot step', () => {
  it('gives an empty database its settings and templates without the demo seed, and never overwrites them', async () => {
    const config = loadConfig({
      DATABASE_URL: await freshDatabase(),
      SEED_DEMO: 'false',
      PORT: '0',
      DEV_SMTP_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const first = await startServer(config, silentLog);
    try {
      expect(first.seed).toBeNull();
      const settings = await first.pool.query(
        `SELECT name, contact_email, contact_phone, time_zone, currency, customer_cancel_enabled FROM business_settings`,
      );
      expect(settings.rows).toEqual([
        {
          name: 'Your business',
          contact_email: '',
          contact_phone: '',
          time_zone: firstRunTimeZone(),
          currency: 'USD',
          customer_cancel_enabled: false,
        },
      ]);
      expect(FIRST_RUN_SETTINGS.name).toBe('Your business');
      const templates = await first.pool.query(
        'SELECT kind, subject, body_html, body_text FROM email_templates ORDER BY kind',
      );
      expect(templates.rows).toEqual(
        [...DEFAULT_TEMPLATES]
          .sort((a, b) => a.kind.localeCompare(b.kind))
          .map((t) => ({ kind: t.kind, subject: t.subject, body_html: t.bodyHtml, body_text: t.bodyText })),
      );
      // What an admin changes stays changed across restarts; a missing template comes back.
      await first.pool.query(`UPDATE business_settings SET name = 'Acme Repairs', time_zone = 'Asia/Tokyo'`);
      await first.pool.query(
        `UPDATE email_templates SET subject = 'Booked: {{service}}' WHERE kind = 'confirmation'`,
      );
      await first.pool.query(`DELETE FROM email_templates WHERE kind = 'reminder'`);
    } finally {
      await first.stop();
    }
    const second = await startServer(config, silentLog);
    try {
      const { rows } = await second.pool.query('SELECT name, time_zone FROM business_settings');
      expect(rows).toEqual([{ name: 'Acme Repairs', time_zone: 'Asia/Tokyo' }]);
      const subjects = await second.pool.query('SELECT kind, subject FROM email_templates ORDER BY kind');
      expect(subjects.rows.map((r) => r.kind)).toEqual([
        'cancellation',
        'confirmation',
        'reminder',
        'sign_in',
      ]);
      expect(subjects.rows.find((r) => r.kind === 'confirmation')?.subject).toBe('Booked: {{service}}');
    } finally {
      await second.stop();
    }
  });

  it('takes the time zone from TZ, else the machine, else UTC', () => {
    expect(firstRunTimeZone({ TZ: 'Europe/Berlin' })).toBe('Europe/Berlin');
    expect(firstRunTimeZone({ TZ: ':America/Denver' })).toBe('America/Denver');
    const machine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(firstRunTimeZone({ TZ: 'Not/AZone' })).toBe(machine);
    expect(firstRunTimeZone({})).toBe(machine);
  });
});

describe('from an empty data folder to the first confirmation email, with SEED_DEMO=false', () => {
  it('creates the admin, who signs in, changes a setting, and a booking made in SQL emails its confirmation', async () => {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    // Default ports for Postgres and the dev mailbox, as `npm start` would have them.
    const env = { DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: 'false', DEV_SMTP_PORT: '' };
    const server = spawnServer(env);
    await server.ready();
    expect(server.output()).not.toContain('Demo sign-ins');
    expect(server.output()).toContain(
      'No admin account yet. Create the first one (it asks for a password, or prints a link to set one):\n' +
        '  npm run create-admin -- --email you@example.com --name "Your Name"',
    );
    expect(server.output()).toContain(`Dev mailbox      ${url}/dev/mailbox`);

    // The command reaches the running server's embedded Postgres; no terminal: a link.
    const command = await createAdminCommand(['--email', 'owner@acme.example', '--name', 'Olu Owner'], env);
    expect(command.stderr).toBe('');
    expect(command.code).toBe(0);
    const link = new RegExp(`(${url}/set-password\\?token=[\\w-]{43})\\n`).exec(
      command.stdout,
    )?.[1] as string;
    expect(link).toBeTruthy();

    // The link's page, then its form, as a browser on this site posts it.
    const form = await fetch(link);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('For Olu Owner (owner@acme.example).');
    const token = new URL(link).searchParams.get('token') as string;
    const post = (password: string, origin = url) =>
      fetch(`${url}/set-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams({ token, password, repeat: password }),
      });
    const password = 'a long and happy password';
    const forged = await post(password, 'https://evil.example');
    expect(forged.status).toBe(403);
    const weak = await post('owner@acme.example');
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('The password must not be the email address.');
    const done = await post(password);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('<a href="/admin/">Sign in to the admin app</a>');

    const pgPort = readRecordedPort(dataDir) as number;
    const pool = createPool(embeddedDatabaseUrl(dataDir, pgPort));
    try {
      const cookies = testCookies();
      expect(
        await callerFor(pool, null, { cookies }).auth.staffSignIn({
          email: 'owner@acme.example',
          password,
          app: 'admin',
        }),
      ).toEqual({ role: 'admin' });
      const session = await findSession(pool, cookies.get(SESSION_COOKIE));
      expect(session).toMatchObject({ role: 'admin', email: 'owner@acme.example' });
      await callerFor(pool, session).settings.update({
        writeId: randomUUID(),
        name: 'Acme Repairs',
        contactEmail: 'office@acme.example',
        contactPhone: '+1 555 0100',
        customerCancelEnabled: true,
      });

      const { rows } = await pool.query<{ id: string }>(
        `WITH c AS (INSERT INTO customers (name, email, address) VALUES ('Casey Client', 'casey@client.example', '9 Elm St') RETURNING id),
              s AS (INSERT INTO services (name, duration_minutes, price_minor) VALUES ('Boiler service', 60, 9000) RETURNING id)
         INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
         SELECT c.id, s.id, 'scheduled', now() + interval '3 days', now() + interval '3 days 1 hour', '9 Elm St', 9000, 'USD'
           FROM c, s RETURNING id`,
      );
      const bookingId = rows[0]?.id as string;
      const mail = await eventually(async () => {
        const { messages } = (await (await fetch(`${url}/dev/mailbox.json`)).json()) as {
          messages: { to: string; subject: string; text: string }[];
        };
        return messages.find((m) => m.to === 'casey@client.example');
      }, 20_000);
      expect(mail.subject).toMatch(/^Your Boiler service booking on /);
      expect(mail.text).toContain('Acme Repairs · +1 555 0100 · office@acme.example');
      expect(mail.text).toMatch(
        new RegExp(`Cancel booking: ${url}/portal/bookings/${bookingId}\\?token=[\\w-]{43}&cancel=1`),
      );
    } finally {
      await pool.end();
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
