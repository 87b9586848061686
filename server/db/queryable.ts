// What a query function needs: a pool, a pooled client, or a client inside a transaction.
import type pg from 'pg';

export type Queryable = Pick<pg.ClientBase, 'query'>;
