// @electric-sql/client 1.0 (the line @electric-sql/pglite-sync 0.6 pulls in), unmodified, long-poll.
import { Shape, ShapeStream } from 'electric-client-1-0';
import { clientScenario } from './client-scenario.ts';

clientScenario('@electric-sql/client 1.0', { Shape, ShapeStream }, { sse: false });
