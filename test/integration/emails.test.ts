// Emails from Postgres: the booking trigger queues them, the in-process worker sends them
// over real SMTP to a capture, once each, with working links and the business's time zone.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/boot.ts';
import { DEMO_SIGN_INS } from '../../server/demo/seed-demo.ts';
import { type SmtpCapture, startSmtpCapture } from '../support/smtp-capture.ts';
import { callerFor, eventually, sessionOf, startTestServer } from './helpers.ts';

let smtp: SmtpCapture;
let server: RunningServer;
beforeAll(async () => {
  smtp = await startSmtpCapture();
  server = await startTestServer({ SMTP_URL: smtp.url });
});
afterAll(async () => {
  await server.stop();
  await smtp.stop();
});
beforeEach(() => {
  smtp.messages.length = 0;
  smtp.hang = false;
  smtp.refuse.clear();
});

const db = () => server.pool;
const settle = () => new Promise((r) => setTimeout(r, 1500));

/** An upcoming booking of the demo customer, assigned to Sam, far enough out to cancel. */
async function newBooking(overrides: { customerEmail?: string; startsInHours?: number } = {}) {
  const { rows } = await db().query<{ id: string }>(
    `INSERT INTO bookings (customer_id, service_id, fieldworker_id, status, starts_at, ends_at, address, price_minor, currency)
     SELECT c.id, s.id, u.id, 'scheduled', now() + make_interval(hours => $2), now() + make_interval(hours => $2 + 2),
            c.address, s.price_minor, 'USD'
       FROM customers c, services s, users u
      WHERE c.email = $1 AND s.name = 'Standard cleaning' AND u.email = 'sam@example.com'
     RETURNING id`,
    [overrides.customerEmail ?? DEMO_SIGN_INS.customer, overrides.startsInHours ?? 72],
  );
  return rows[0]?.id as string;
}

const mailsTo = (email: string, subject: RegExp) =>
  smtp.messages.filter((m) => m.to === email && subject.test(m.subject));
/** The emails about one booking (its links carry its id), so a late email of another test cannot count. */
const mailsAbout = (bookingId: string, subject: RegExp) =>
  smtp.messages.filter((m) => subject.test(m.subject) && m.text.includes(`/portal/bookings/${bookingId}?`));

async function adminCancel(bookingId: string, extra: Record<string, unknown> = {}) {
  const admin = callerFor(db(), await sessionOf(db(), DEMO_SIGN_INS.admin));
  return admin.bookings.cancel({
    id: bookingId,
    writeId: randomUUID(),
    comment: 'Van broke down, sorry.',
    ...extra,
  });
}

describe('confirmation', () => {
  it('goes out on insert with View and Cancel links, the time in the business time zone', async () => {
    const id = await newBooking();
    const mail = await eventually(async () => mailsAbout(id, /^Your Standard cleaning booking/)[0]);
    expect(mail.subject).toMatch(/ (CST|CDT)$/);
    expect(mail.text).toContain(`View booking: ${server.url}/portal/bookings/${id}?token=`);
    expect(mail.text).toMatch(
      new RegExp(`Cancel booking: ${server.url}/portal/bookings/${id}\\?token=[\\w-]{43}&cancel=1`),
    );
    expect(mail.html).toContain('>Cancel booking</a>');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@example\.com>$/);
    // The SMTP server accepts the message a moment before the worker records it as sent.
    const ledger = async () =>
      (
        await db().query(`SELECT status FROM sent_messages WHERE booking_id = $1 AND kind = 'confirmation'`, [
          id,
        ])
      ).rows;
    await eventually(async () => (await ledger())[0]?.status === 'sent');
    expect(await ledger()).toEqual([{ status: 'sent' }]);
  });

  it('has no cancel link, and no dangling text, while customers may not cancel', async () => {
    await db().query('UPDATE business_settings SET customer_cancel_enabled = false');
    try {
      const id = await newBooking();
      const mail = await eventually(async () => mailsAbout(id, /^Your Standard cleaning booking/)[0]);
      expect(mail.text).toContain(`View booking: ${server.url}/portal/bookings/${id}?token=`);
      expect(mail.text).not.toMatch(/cancel/i);
      expect(mail.html).not.toMatch(/cancel/i);
      expect(mail.html).not.toContain(' · </p>');
    } finally {
      await db().query('UPDATE business_settings SET customer_cancel_enabled = true');
    }
  });

  it('escapes a customer name with <script> in it', async () => {
    const email = `mallory-${randomUUID()}@example.com`;
    await db().query(
      `INSERT INTO customers (name, email, address) VALUES ('<script>alert(1)</script> Mallory', $1, '1 Main St')`,
      [email],
    );
    await newBooking({ customerEmail: email });
    const mail = await eventually(async () => mailsTo(email, /^Your /)[0]);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Hi &#60;script&#62;alert(1)&#60;/script&#62; Mallory,');
  });
});

describe('cancellation', () => {
  it('through the API: exactly one email, with the comment, the fee and its tax, and a View link', async () => {
    const id = await newBooking();
    const result = await adminCancel(id, {
      fee: { feeId: null, name: 'Late cancellation', feeMinor: 2500, taxMinor: 200 },
    });
    expect(result).toMatchObject({ outcome: 'cancelled', txid: expect.stringMatching(/^\d+$/) });
    const mail = await eventually(async () => mailsAbout(id, /^Cancelled: Standard cleaning/)[0]);
    expect(mail.subject).toMatch(/ (CST|CDT)$/);
    expect(mail.text).toContain('Comment: Van broke down, sorry.');
    expect(mail.text).toContain('Cancellation fee: $25.00 + $2.00 tax = $27.00');
    expect(mail.text).toContain(`View booking: ${server.url}/portal/bookings/${id}?token=`);
    expect(mail.text).not.toContain('cancel=1');
    await settle();
    expect(mailsAbout(id, /^Cancelled:/)).toHaveLength(1);

    const events = await db().query(
      `SELECT actor_role, channel, comment, fee_minor, fee_tax_minor FROM booking_events WHERE booking_id = $1 AND kind = 'cancelled'`,
      [id],
    );
    expect(events.rows).toEqual([
      {
        actor_role: 'admin',
        channel: 'admin_app',
        comment: 'Van broke down, sorry.',
        fee_minor: 2500,
        fee_tax_minor: 200,
      },
    ]);
    const notes = await db().query(
      `SELECT kind, u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE booking_id = $1`,
      [id],
    );
    expect(notes.rows).toEqual([{ kind: 'booking_cancelled', email: 'sam@example.com' }]);
  });

  it('by a plain SQL UPDATE: the same one email, recorded as the system', async () => {
    const id = await newBooking();
    await db().query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
    const mail = await eventually(async () => mailsAbout(id, /^Cancelled: Standard cleaning/)[0]);
    expect(mail.text).toContain(`View booking: ${server.url}/portal/bookings/${id}?token=`);
    const events = await db().query(
      `SELECT actor_role, channel FROM booking_events WHERE booking_id = $1 AND kind = 'cancelled'`,
      [id],
    );
    expect(events.rows).toEqual([{ actor_role: 'system', channel: 'sql' }]);

    // The same change again, by SQL and through the API, sends nothing more.
    await db().query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
    expect(await adminCancel(id)).toMatchObject({ outcome: 'already-cancelled' });
    await settle();
    expect(mailsAbout(id, /^Cancelled:/)).toHaveLength(1);
  });

  it('sent ten times with one write id, applies once and answers the same each time', async () => {
    const id = await newBooking();
    const admin = callerFor(db(), await sessionOf(db(), DEMO_SIGN_INS.admin));
    const input = { id, writeId: randomUUID(), comment: 'Customer moved.' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => admin.bookings.cancel(input)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ outcome: 'cancelled' });
    await eventually(async () => mailsAbout(id, /^Cancelled:/)[0]);
    await settle();
    expect(mailsAbout(id, /^Cancelled:/)).toHaveLength(1);
    const events = await db().query(
      `SELECT count(*)::int AS n FROM booking_events WHERE booking_id = $1 AND kind = 'cancelled'`,
      [id],
    );
    expect(events.rows[0].n).toBe(1);
    await expect(admin.bookings.cancel({ ...input, comment: 'Something else' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('change id was already used for a different change'),
    });
  });

  it('waits out an SMTP outage and arrives once the server is back', async () => {
    const id = await newBooking();
    await eventually(async () => mailsAbout(id, /^Your /)[0]);
    await smtp.stop();
    try {
      await adminCancel(id);
      const failed = await eventually(async () => {
        const { rows } = await db().query(
          `SELECT last_error FROM sent_messages WHERE booking_id = $1 AND kind = 'cancellation' AND last_error IS NOT NULL`,
          [id],
        );
        return rows[0];
      });
      expect(failed.last_error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await smtp.start();
    }
    const mail = await eventually(async () => mailsAbout(id, /^Cancelled:/)[0], 20_000);
    expect(mail.text).toContain(`/portal/bookings/${id}?token=`);
    await settle();
    expect(mailsAbout(id, /^Cancelled:/)).toHaveLength(1);
  }, 40_000);

  it('refused for good by the mail server: recorded as failed and shown to the admin', async () => {
    const email = `gone-${randomUUID()}@example.com`;
    await db().query(`INSERT INTO customers (name, email, address) VALUES ('Gone Away', $1, '2 Main St')`, [
      email,
    ]);
    smtp.refuse.add(email);
    const id = await newBooking({ customerEmail: email });
    const admin = callerFor(db(), await sessionOf(db(), DEMO_SIGN_INS.admin));
    const failure = await eventually(async () =>
      (await admin.emails.failures()).find((f) => f.bookingId === id),
    );
    expect(failure).toMatchObject({ kind: 'confirmation', recipient: email, attempts: 1 });
    expect(failure.lastError).toMatch(/550/);

    // The office fixes the address and sends it again: through the ledger, so once, to the new address.
    const fixed = `back-${randomUUID()}@example.com`;
    await db().query('UPDATE customers SET email = $2 WHERE email = $1', [email, fixed]);
    const resend = { writeId: randomUUID(), id: failure.id };
    expect(await admin.emails.resend(resend)).toMatchObject({ queued: true, recipient: fixed });
    expect(await admin.emails.resend(resend)).toMatchObject({ queued: true }); // a repeat: the first answer
    const mail = await eventually(async () => mailsAbout(id, /^Your /)[0], 20_000);
    expect(mail.to).toContain(fixed);
    await settle();
    expect(mailsAbout(id, /^Your /)).toHaveLength(1);
    expect((await admin.emails.failures()).find((f) => f.bookingId === id)).toBeUndefined();
    await expect(admin.emails.resend({ writeId: randomUUID(), id: failure.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('an email that cannot be prepared', () => {
  it('is recorded as failed on its last attempt, for the admin to see', async () => {
    const id = await newBooking();
    await eventually(async () => mailsAbout(id, /^Your /)[0]);
    const template = (await db().query(`SELECT * FROM email_templates WHERE kind = 'cancellation'`)).rows[0];
    await db().query(`DELETE FROM email_templates WHERE kind = 'cancellation'`);
    try {
      await db().query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
      // The job's one and only attempt (max_attempts 1) meets no template.
      await db().query(
        `SELECT graphile_worker.add_job('send_cancellation_email', json_build_object('bookingId', $1::uuid, 'eventKey', 'manual'),
           max_attempts := 1)`,
        [id],
      );
      const admin = callerFor(db(), await sessionOf(db(), DEMO_SIGN_INS.admin));
      const failure = await eventually(async () =>
        (await admin.emails.failures()).find((f) => f.bookingId === id && f.kind === 'cancellation'),
      );
      expect(failure.lastError).toBe('No "cancellation" email template, or the business is not set up.');
    } finally {
      await db().query(
        `INSERT INTO email_templates (kind, subject, body_html, body_text) VALUES ('cancellation', $1, $2, $3)
         ON CONFLICT (kind) DO NOTHING`,
        [template.subject, template.body_html, template.body_text],
      );
    }
  });
});

describe('reminders', () => {
  const reminderJob = async (id: string) =>
    (
      await db().query<{ run_at: Date }>(`SELECT run_at FROM graphile_worker.jobs WHERE key = $1`, [
        `reminder:${id}`,
      ])
    ).rows[0];

  it('are scheduled at start − reminder hours, moved by a reschedule, removed by a cancel', async () => {
    const id = await newBooking({ startsInHours: 72 });
    const { rows } = await db().query<{ starts_at: Date }>('SELECT starts_at FROM bookings WHERE id = $1', [
      id,
    ]);
    const startsAt = rows[0]?.starts_at as Date;
    expect((await reminderJob(id))?.run_at.getTime()).toBe(startsAt.getTime() - 24 * 3_600_000);

    await db().query(
      `UPDATE bookings SET starts_at = starts_at + interval '1 day', ends_at = ends_at + interval '1 day' WHERE id = $1`,
      [id],
    );
    expect((await reminderJob(id))?.run_at.getTime()).toBe(
      startsAt.getTime() + 24 * 3_600_000 - 24 * 3_600_000,
    );

    // A new reminder_hours moves the reminders still to come.
    await db().query('UPDATE business_settings SET reminder_hours = 48');
    try {
      expect((await reminderJob(id))?.run_at.getTime()).toBe(
        startsAt.getTime() + 24 * 3_600_000 - 48 * 3_600_000,
      );
    } finally {
      await db().query('UPDATE business_settings SET reminder_hours = 24');
    }

    await adminCancel(id);
    expect(await reminderJob(id)).toBeUndefined();
  });

  it('go out when due, once', async () => {
    await db().query(`UPDATE business_settings SET reminder_hours = 1`);
    try {
      const { rows } = await db().query<{ id: string }>(
        `INSERT INTO bookings (customer_id, service_id, status, starts_at, ends_at, address, price_minor, currency)
         SELECT c.id, s.id, 'confirmed', now() + interval '1 hour 2 seconds', now() + interval '3 hours', c.address, 100, 'USD'
           FROM customers c, services s WHERE c.email = $1 AND s.name = 'AC maintenance' RETURNING id`,
        [DEMO_SIGN_INS.customer],
      );
      const id = rows[0]?.id as string;
      const mail = await eventually(async () => mailsAbout(id, /^Reminder: AC maintenance/)[0], 15_000);
      expect(mail.text).toContain(`/portal/bookings/${id}?token=`);
      await settle();
      expect(mailsAbout(id, /^Reminder:/)).toHaveLength(1);
    } finally {
      await db().query(`UPDATE business_settings SET reminder_hours = 24`);
    }
  });
});

describe('templates', () => {
  it('refuse an unknown placeholder by name, and preview with sample data', async () => {
    const admin = callerFor(db(), await sessionOf(db(), DEMO_SIGN_INS.admin));
    const template = await admin.emails.template({ kind: 'cancellation' });
    await expect(
      admin.emails.saveTemplate({
        ...template,
        writeId: randomUUID(),
        bodyText: `${template.bodyText}\n{{refund_amount}}`,
      }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('Unknown placeholder {{refund_amount}} in the text body.'),
    });
    await expect(
      admin.emails.saveTemplate({ ...template, writeId: randomUUID(), bodyHtml: '{{#fee}}<p>{{fee}}</p>' }),
    ).rejects.toMatchObject({
      message: '{{#fee}} in the HTML body is never closed with {{/fee}}.',
    });

    // Rendered on the soonest upcoming booking; what only a sent cancellation has is a sample.
    const preview = await admin.emails.previewTemplate({ ...template, subject: 'Sorry, {{customer_name}}' });
    const [soonest] = (
      await db().query<{ id: string; name: string; service: string }>(
        `SELECT b.id, c.name, s.name AS service FROM bookings b JOIN customers c ON c.id = b.customer_id
           JOIN services s ON s.id = b.service_id
          WHERE b.starts_at > now() AND b.status IN ('scheduled', 'confirmed') ORDER BY b.starts_at, b.id LIMIT 1`,
      )
    ).rows;
    expect(preview.subject).toBe(`Sorry, ${soonest?.name}`);
    expect(preview.booking).toMatch(new RegExp(`^${soonest?.name}’s ${soonest?.service}, `));
    expect(preview.text).toContain('Cancellation fee: $25.00 + $2.00 tax = $27.00');
    expect(preview.text).not.toMatch(/token=[A-Za-z0-9_-]{43}/); // a preview issues no link

    expect(await admin.emails.defaultTemplate({ kind: 'cancellation' })).toMatchObject({
      subject: 'Cancelled: {{service}} on {{booking_date}}',
    });

    const saved = await admin.emails.saveTemplate({
      ...template,
      writeId: randomUUID(),
      subject: 'Booking cancelled: {{service}}',
    });
    expect(saved.saved).toBe(true);
    const id = await newBooking();
    await db().query(`UPDATE bookings SET status = 'cancelled' WHERE id = $1`, [id]);
    await eventually(async () => mailsAbout(id, /^Booking cancelled: Standard cleaning$/)[0]);
    await admin.emails.saveTemplate({ ...template, writeId: randomUUID() });
  });
});
