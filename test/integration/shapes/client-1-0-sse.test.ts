// @electric-sql/client 1.0, unmodified, with its experimental SSE mode.
//
// N.b. that mode reads SSE through @microsoft/fetch-event-source, which assumes a browser: it
// watches `document` visibility and clears timers on `window`. Node has neither, so this file
// provides the three members it touches (a visible document, window = globalThis) — the
// environment the client is written for — and nothing else; the client runs as published.
import { Shape, ShapeStream } from 'electric-client-1-0';
import { clientScenario } from './client-scenario.ts';

const g = globalThis as Record<string, unknown>;
g.window ??= globalThis;
g.document ??= { hidden: false, addEventListener: () => {}, removeEventListener: () => {} };

clientScenario('@electric-sql/client 1.0', { Shape, ShapeStream }, { sse: true });
