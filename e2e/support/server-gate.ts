// The e2e server behind a gate the tests can shut (test/support/tcp-gate.ts): the browser
// reaches the app through it, so `close()` takes the server away for real, as DESIGN §6 asks.
import { test } from '@playwright/test';
import { baseURL } from '../../playwright.config.ts';
import { startTcpGate, type TcpGate } from '../../test/support/tcp-gate.ts';

export type ServerGate = TcpGate;

/**
 * One gate for the spec file it is called in: started before its tests, open at the start of
 * each (a test may end with it shut), stopped after them. Read it inside a test.
 */
export function useServerGate(): () => ServerGate {
  let gate: ServerGate | undefined;
  test.beforeAll(async () => {
    gate = await startTcpGate({
      port: Number(process.env.E2E_GATE_PORT ?? 4175),
      targetPort: Number(new URL(baseURL).port),
    });
  });
  test.afterAll(async () => {
    await gate?.stop();
  });
  test.beforeEach(async () => {
    await gate?.open();
  });
  return () => {
    if (!gate) throw new Error('The server gate is not started (call useServerGate at the top of the spec).');
    return gate;
  };
}
