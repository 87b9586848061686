// The logical replication stream behind the shapes: a publication, a slot, and a pgoutput
// reader (pg-logical-replication) that turns the stream into whole transactions.
//
// Lifecycle. Nothing happens until the first shape needs a table, or shapes kept on disk are
// restored: then the stream starts. A fresh start makes the publication (empty) and a new
// slot, dropping leftovers. Tables join the publication one by one as shapes ask for them,
// with REPLICA IDENTITY FULL, as Electric does. The slot and publication outlive the process
// (the shape logs are kept on disk), and a start asked to `resume` continues from the slot's
// confirmed position, so restored shapes miss nothing that committed while the service was
// down. Like Electric's, a stopped service's slot holds WAL until it runs again.
//
// Acknowledging. The cache reports, after each transaction it has routed into shape logs (and
// written to disk), the LSN everything up to which is done; the slot is acknowledged to there,
// so Postgres can recycle WAL as shapes catch up. A keepalive is asked for every `pingMs`,
// which also tells us how far the server's WAL has gone when nothing we publish changes
// (global_last_seen_lsn).

import type pg from 'pg';
import { LogicalReplicationService, type Pgoutput, PgoutputPlugin } from 'pg-logical-replication';
import { quoteIdent } from './identifiers.ts';
import type { Logger } from './logger.ts';
import { formatLsn, parseLsn } from './offset.ts';
import type { Row } from './shape-definition.ts';
import { type TableInfo, tableSql } from './table-info.ts';
import type { RelationRef, StreamItem, Txn, TxnItem } from './transaction.ts';

/** Settings that decide how values are written as text; the same on every connection we use. */
export const DISPLAY_SETTINGS = [
  'DateStyle=ISO,DMY',
  'TimeZone=UTC',
  'IntervalStyle=iso_8601',
  'extra_float_digits=1',
  'bytea_output=hex',
  'standard_conforming_strings=on',
];
export const CONNECTION_OPTIONS = DISPLAY_SETTINGS.map((s) => `-c ${s}`).join(' ');

export class ReplicationUnavailableError extends Error {
  override name = 'ReplicationUnavailableError';
}

/** pgoutput with every value left as Postgres wrote it (text), rather than parsed by `pg`. */
class TextPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const msg = super.parse(buffer);
    // The parser caches this same Relation object and reads later tuples with its columns'
    // parsers: replacing them here makes every following value arrive as raw text.
    if (msg.tag === 'relation') for (const c of msg.columns) c.parser = (raw: unknown) => raw;
    return msg;
  }
}

export interface ReplicationOptions {
  readonly databaseUrl: string;
  readonly pool: pg.Pool;
  readonly log: Logger;
  /** Base of the slot and publication names; must be unique per database and service. */
  readonly name: string;
  readonly onItem: (item: StreamItem) => void;
  readonly pingMs?: number;
  /** Told the slot and publication once the stream has started (they may differ from `name`). */
  readonly onStarted?: (names: { slot: string; publication: string }) => void;
}

function relationRef(msg: Pgoutput.MessageRelation): RelationRef {
  return {
    oid: msg.relationOid,
    schema: msg.schema,
    name: msg.name,
    columns: msg.columns.map((c) => ({ name: c.name, typeOid: c.typeOid })),
  };
}

interface SlotState {
  readonly active: string;
  readonly confirmed: string | null;
  readonly status: string | null;
}

export class Replication {
  private starting: Promise<boolean> | null = null;
  private service: LogicalReplicationService | null = null;
  private slot: string;
  private publication: string;
  private readonly published = new Set<number>();
  private tableLock: Promise<void> = Promise.resolve();
  private current: { xid: number; lsn: bigint; items: TxnItem[] } | null = null;
  private acked = 0n;
  private pingTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = 500;
  private stopping = false;

  constructor(private readonly options: ReplicationOptions) {
    this.slot = options.name;
    this.publication = options.name;
  }

  get slotName(): string {
    return this.slot;
  }

  /**
   * Starts the stream once; later calls wait for that start. With `resume`, continues from the
   * existing slot if there is one that can be resumed. Resolves whether it did.
   */
  start(options: { resume?: boolean } = {}): Promise<boolean> {
    this.starting ??= this.doStart(options.resume === true).catch((error) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  isPublished(oid: number): boolean {
    return this.published.has(oid);
  }

  private async doStart(resume: boolean): Promise<boolean> {
    const { pool, log } = this.options;
    const { rows: wal } = await pool.query<{ wal_level: string }>('SHOW wal_level');
    if (wal[0]?.wal_level !== 'logical') {
      throw new ReplicationUnavailableError(
        `Live sync needs logical replication, and the database's wal_level is "${wal[0]?.wal_level}". ` +
          'Set wal_level = logical in postgresql.conf and restart Postgres.',
      );
    }
    const slot = await this.slotState();
    if (slot?.active === 'true') {
      // Another service streams from this database under the same name: take our own.
      const suffix = Math.random().toString(36).slice(2, 8);
      log.warn(`Replication slot ${this.slot} is in use by another process; using ${this.slot}_${suffix}`);
      this.slot = `${this.slot}_${suffix}`.slice(0, 63);
      this.publication = this.slot;
    } else if (resume && slot?.confirmed && slot.status !== 'lost' && (await this.loadPublication())) {
      // Everything up to the confirmed position is in the stored logs; the stream brings the rest.
      this.options.onItem({ kind: 'keepalive', walEnd: parseLsn(slot.confirmed) });
      await this.begin();
      log.debug(`shapes: resumed slot ${this.slot} at ${slot.confirmed}`);
      return true;
    } else if (slot) {
      await pool.query('SELECT pg_drop_replication_slot($1)', [this.slot]);
    }
    await pool.query(`DROP PUBLICATION IF EXISTS ${quoteIdent(this.publication)}`);
    await pool.query(`CREATE PUBLICATION ${quoteIdent(this.publication)}`);
    this.published.clear();
    const { rows: created } = await pool.query<{ lsn: string }>(
      "SELECT lsn::text AS lsn FROM pg_create_logical_replication_slot($1, 'pgoutput')",
      [this.slot],
    );
    // Every transaction that committed before the slot's starting point is visible to any
    // snapshot taken from now on; the stream brings the rest.
    this.options.onItem({ kind: 'keepalive', walEnd: parseLsn(created[0]?.lsn ?? '0/0') });
    await this.begin();
    log.debug(`shapes: streaming from slot ${this.slot}`);
    return false;
  }

  /**
   * Our slot as Postgres has it. The walsender of a process that just stopped lets go of the
   * slot a moment after its connection closes: a slot still active is asked again for 5 s.
   */
  private async slotState(): Promise<SlotState | undefined> {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.options.pool.query<SlotState>(
        `SELECT active::text, confirmed_flush_lsn::text AS confirmed, wal_status AS status
           FROM pg_replication_slots WHERE slot_name = $1`,
        [this.slot],
      );
      if (rows[0]?.active !== 'true' || attempt === 50) return rows[0];
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The tables already in our publication; false when there is no publication to resume. */
  private async loadPublication(): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ oid: string | null }>(
      `SELECT c.oid::text AS oid
         FROM pg_publication p
         LEFT JOIN pg_publication_rel pr ON pr.prpubid = p.oid
         LEFT JOIN pg_class c ON c.oid = pr.prrelid
        WHERE p.pubname = $1`,
      [this.publication],
    );
    if (rows.length === 0) return false;
    this.published.clear();
    for (const r of rows) if (r.oid) this.published.add(Number(r.oid));
    return true;
  }

  private async begin(): Promise<void> {
    await this.connect();
    this.pingTimer = setInterval(() => this.ping(), this.options.pingMs ?? 1000);
    this.pingTimer.unref();
    this.options.onStarted?.({ slot: this.slot, publication: this.publication });
  }

  private connect(): Promise<void> {
    const service = new LogicalReplicationService(
      { connectionString: this.options.databaseUrl, options: CONNECTION_OPTIONS } as pg.ClientConfig,
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    this.service = service;
    this.current = null;
    service.on('data', (_lsn: string, msg: Pgoutput.Message) => this.onMessage(msg));
    service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) => {
      this.options.onItem({ kind: 'keepalive', walEnd: parseLsn(lsn) });
      if (shouldRespond) this.sendAck(false);
    });
    service.on('error', (error: Error) => this.onStreamError(service, error));
    return new Promise<void>((resolve, reject) => {
      let started = false;
      service.once('start', () => {
        started = true;
        this.reconnectDelay = 500;
        resolve();
      });
      service
        .subscribe(
          new TextPgoutputPlugin({ protoVersion: 1, publicationNames: [this.publication] }),
          this.slot,
        )
        .then(
          () => this.onStreamError(service, new Error('the replication stream ended')),
          (error: Error) => {
            if (!started) reject(error);
            else this.onStreamError(service, error);
          },
        );
    });
  }

  private onStreamError(service: LogicalReplicationService, error: Error): void {
    if (this.stopping || service !== this.service) return;
    this.service = null;
    void service.stop().catch(() => {});
    this.options.log.warn(`shapes: replication stream lost (${error.message}); reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      try {
        const { rows } = await this.options.pool.query(
          'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1',
          [this.slot],
        );
        if (rows.length === 0) {
          // The slot is gone, and with it every change since our last acknowledgement:
          // start over, and have every client refetch.
          this.options.log.warn(
            `shapes: replication slot ${this.slot} disappeared; every shape will be refetched`,
          );
          this.options.onItem({ kind: 'reset' });
          this.stopPing();
          this.starting = null;
          await this.start();
          return;
        }
        await this.connect();
      } catch (e) {
        this.options.log.warn(`shapes: reconnecting replication failed: ${(e as Error).message}`);
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, 10_000);
        this.scheduleReconnect();
      }
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  private onMessage(msg: Pgoutput.Message): void {
    switch (msg.tag) {
      case 'begin':
        this.current = { xid: msg.xid >>> 0, lsn: parseLsn(msg.commitLsn ?? '0/0'), items: [] };
        return;
      case 'relation':
        this.current?.items.push({ kind: 'relation', rel: relationRef(msg) });
        return;
      case 'insert':
        this.current?.items.push({ kind: 'insert', rel: relationRef(msg.relation), new: msg.new as Row });
        return;
      case 'update':
        this.current?.items.push({
          kind: 'update',
          rel: relationRef(msg.relation),
          old: (msg.old as Row | null) ?? null,
          new: msg.new as Row,
        });
        return;
      case 'delete':
        this.current?.items.push({
          kind: 'delete',
          rel: relationRef(msg.relation),
          old: (msg.old ?? msg.key) as Row,
        });
        return;
      case 'truncate':
        this.current?.items.push({ kind: 'truncate', rels: msg.relations.map(relationRef) });
        return;
      case 'commit': {
        const txn: Txn | null = this.current;
        this.current = null;
        if (txn) this.options.onItem({ kind: 'txn', txn });
        return;
      }
      default:
        return;
    }
  }

  /** Adds a table to the publication (once), with the replica identity shapes need. */
  ensureTable(table: TableInfo): Promise<void> {
    const run = this.tableLock.then(async () => {
      if (this.published.has(table.oid)) return;
      const client = await this.options.pool.connect();
      try {
        // Each step waits for locks at most this long: a transaction left open on the table
        // makes this shape fail with a message (and be retried), rather than hang all shapes.
        await client.query("SET lock_timeout = '30s'");
        const { rows } = await client.query<{ relreplident: string }>(
          'SELECT relreplident FROM pg_class WHERE oid = $1',
          [table.oid],
        );
        if (rows[0]?.relreplident !== 'f')
          await client.query(`ALTER TABLE ${tableSql(table)} REPLICA IDENTITY FULL`);
        await client
          .query(`ALTER PUBLICATION ${quoteIdent(this.publication)} ADD TABLE ${tableSql(table)}`)
          .catch((e: { code?: string }) => {
            if (e.code !== '42710') throw e; // already a member
          });
        // A transaction that wrote the table before it joined the publication is decoded
        // without it. Waiting here for every such writer (they hold ROW EXCLUSIVE until they
        // end) makes them visible to the snapshot that follows, so none is lost.
        await client.query('BEGIN');
        await client.query(`LOCK TABLE ${tableSql(table)} IN SHARE MODE`);
        await client.query('COMMIT');
        this.published.add(table.oid);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        await client.query('RESET lock_timeout').catch(() => {});
        client.release();
      }
    });
    this.tableLock = run.catch(() => {});
    return run;
  }

  /** Everything up to and including `lsn` is in the shape logs: Postgres may recycle it. */
  acknowledge(lsn: bigint): void {
    if (lsn <= this.acked) return;
    this.acked = lsn;
    this.sendAck(false);
  }

  private sendAck(ping: boolean): void {
    // The library reports lsn + 1 as flushed: "everything before this is done".
    if (this.acked > 0n) void this.service?.acknowledge(formatLsn(this.acked), ping).catch(() => {});
  }

  private ping(): void {
    if (this.acked > 0n) this.sendAck(true);
    else void this.service?.acknowledge('0/0', true).catch(() => {});
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /** Stops the stream; the slot and publication are kept for the next start to resume. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopPing();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const started = this.starting;
    if (!started) return;
    await started.catch(() => {});
    await this.service?.stop().catch(() => {});
    this.service = null;
    // The slot and the publication stay: the next start resumes them with the kept shapes.
  }
}
