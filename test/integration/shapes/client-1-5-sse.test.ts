// @electric-sql/client 1.5, unmodified, following live changes over server-sent events.
import { Shape, ShapeStream } from '@electric-sql/client';
import { clientScenario } from './client-scenario.ts';

clientScenario('@electric-sql/client 1.5', { Shape, ShapeStream }, { sse: true });
