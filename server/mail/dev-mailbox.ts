// The dev mailbox: when SMTP_URL is unset, mail goes over real SMTP to this listener inside
// the server, which stores each message so a person trying the product can open it at
// /dev/mailbox and click its links. Loopback only, no auth, no TLS: it is for development.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';

export interface DevMailbox {
  readonly port: number;
  readonly smtpUrl: string;
  close(): Promise<void>;
}

export async function startDevMailbox(options: {
  pool: Pool;
  port: number;
  log: Logger;
}): Promise<DevMailbox> {
  const server = new SMTPServer({
    authOptional: true,
    closeTimeout: 1000, // shutdown does not wait on idle pooled connections

    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
          await options.pool.query(
            `INSERT INTO dev_mailbox_messages (message_id, mail_from, mail_to, subject, text_body, html_body)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              mail.messageId ?? null,
              session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to,
              mail.subject ?? '',
              mail.text ?? '',
              typeof mail.html === 'string' ? mail.html : null,
            ],
          );
          callback();
        })
        .catch((error: Error) => {
          options.log.error('The dev mailbox could not store a message', error);
          callback(error);
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `The dev mailbox's SMTP port ${options.port} is in use. Set DEV_SMTP_PORT to a free port.`,
            )
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => options.log.warn(`dev mailbox: ${error.message}`));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface MailboxMessage {
  id: number;
  messageId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  receivedAt: Date;
}

export async function listMailbox(pool: Pool, limit = 200): Promise<MailboxMessage[]> {
  const { rows } = await pool.query<MailboxMessage>(
    `SELECT id, message_id AS "messageId", mail_from AS "from", mail_to AS "to", subject, text_body AS text,
            html_body AS html, received_at AS "receivedAt"
       FROM dev_mailbox_messages ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}
