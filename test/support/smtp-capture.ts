// A real SMTP server (smtp-server) that keeps what it receives, for tests and benchmarks.
// It can be stopped and started again on the same port (an SMTP outage), made to hang
// while a message is in flight (a worker killed mid-send), or made to refuse recipients
// with a permanent 550.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly receivedAt: number;
  readonly parsed: ParsedMail;
}

export interface SmtpCapture {
  readonly url: string;
  readonly port: number;
  readonly messages: CapturedMail[];
  /** While on, a message's data is never acknowledged (the sender waits forever). */
  hang: boolean;
  /** Recipients refused with "550 No such mailbox". */
  readonly refuse: Set<string>;
  /** How many messages have started arriving (DATA begun), accepted or not. */
  readonly dataStarted: () => number;
  /** Calls `listener` for each accepted message (benchmarks time arrivals with it). */
  onMessage(listener: (mail: CapturedMail) => void): void;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtpCapture(port = 0): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const listeners: ((mail: CapturedMail) => void)[] = [];
  let started = 0;
  let server: SMTPServer | null = null;
  let boundPort = port;

  const capture: SmtpCapture = {
    url: '',
    port: 0,
    messages,
    hang: false,
    refuse: new Set(),
    dataStarted: () => started,
    onMessage: (listener) => void listeners.push(listener),
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      server = new SMTPServer({
        authOptional: true,
        // Stopping is an outage: drop open (pooled) connections at once instead of waiting 30 s.
        closeTimeout: 100,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (capture.refuse.has(address.address)) {
            const error = Object.assign(new Error('No such mailbox'), { responseCode: 550 });
            return callback(error);
          }
          callback();
        },
        onData(stream, session, callback) {
          started++;
          if (capture.hang) {
            stream.resume(); // read and drop, never answer: the sender is stuck mid-send
            return;
          }
          simpleParser(stream).then((parsed) => {
            const mail: CapturedMail = {
              to: session.envelope.rcptTo.map((r) => r.address).join(', '),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              receivedAt: performance.now(),
              parsed,
            };
            messages.push(mail);
            for (const l of listeners) l(mail);
            callback();
          }, callback);
        },
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(boundPort, '127.0.0.1', () => resolve());
      });
      s.on('error', () => {});
      boundPort = (s.server.address() as AddressInfo).port;
      Object.assign(capture, { port: boundPort, url: `smtp://127.0.0.1:${boundPort}` });
    },
  };
  await capture.start();
  return capture;
}
