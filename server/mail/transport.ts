// Outgoing mail: SMTP_URL when set, else the built-in dev mailbox over real SMTP on loopback.
import nodemailer from 'nodemailer';

export interface Mailer {
  /** The sender's domain, for Message-IDs. */
  readonly domain: string;
  send(message: {
    to: string;
    subject: string;
    text: string;
    html: string;
    messageId?: string;
  }): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl: string; from: string }): Mailer {
  const url = new URL(options.smtpUrl);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  const transport = nodemailer.createTransport({
    // Reuse connections: a new SMTP session per email costs more than the email itself (a
    // greeting delay, often a reverse DNS lookup: 100 ms or more against 2-4 ms for a send).
    // nodemailer closes a pooled connection after 100 messages by default, which put a
    // reconnect behind every 100th email; keep them until the server or idleTimeout closes
    // them (a connection the server dropped is replaced, and an unsent message requeued).
    pool: true,
    maxConnections: 4,
    maxMessages: Number.POSITIVE_INFINITY,
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    // The dev mailbox speaks plain SMTP on loopback (smtp-server's bundled certificate has expired).
    ignoreTLS: loopback && url.protocol === 'smtp:',
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'localhost';
  return {
    domain,
    async send(message) {
      await transport.sendMail({ from: options.from, ...message });
    },
    close: () => transport.close(),
  };
}
