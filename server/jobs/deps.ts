// What every task gets: the database, the mailer, the public address for links, a logger, and
// how pushes are sent.
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mail/transport.ts';
import type { PushConfig } from '../push/push-services.ts';

export interface JobDeps {
  readonly pool: Pool;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  readonly log: Logger;
  readonly push: PushConfig;
}
