// The dev mailbox: when SMTP_URL is unset, mail goes over real SMTP to this listener inside
// the server, which stores each message so a person trying the product can open it at
// /dev/mailbox and click its links. Loopback only, no auth, no TLS: it is for development.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DEFAULT_DEV_SMTP_PORT } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { PortInUseError } from '../ports.ts';

export interface DevMailbox {
  readonly port: number;
  readonly smtpUrl: string;
  close(): Promise<void>;
}

export async function startDevMailbox(options: {
  pool: Pool;
  /** undefined: 2525 if free, else any free port (DEV_SMTP_PORT unset); 0: any free port. */
  port: number | undefined;
  log: Logger;
}): Promise<DevMailbox> {
  const server = new SMTPServer({
    authOptional: true,
    closeTimeout: 1000, // shutdown does not wait on idle pooled connections
    // The sender is this server on loopback: resolving its name adds a DNS round trip to every
    // new connection, and up to 1.5 s where DNS is unreachable.
    disableReverseLookup: true,
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
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen(options.port ?? DEFAULT_DEV_SMTP_PORT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // An unset DEV_SMTP_PORT is a preference: another copy of the product may hold 2525.
    if (options.port !== undefined) {
      throw new PortInUseError(
        `The dev mailbox's SMTP port ${options.port} is in use. Set DEV_SMTP_PORT to a free port, or leave it unset.`,
      );
    }
    await listen(0);
  }
  server.on('error', (error) => options.log.warn(`dev mailbox: ${error.message}`));
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    smtpUrl: `smtp://127.0.0.1:${bound}`,
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
