// @electric-sql/client 1.5 (what the apps use), unmodified, against the embedded service, long-poll.
import { Shape, ShapeStream } from '@electric-sql/client';
import { clientScenario } from './client-scenario.ts';

clientScenario('@electric-sql/client 1.5', { Shape, ShapeStream }, { sse: false });
