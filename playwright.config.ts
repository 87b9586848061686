// End-to-end tests in Debian's Chromium (/usr/bin/chromium; never a downloaded browser)
// against the real product: `npm start`'s server on a fresh data folder and its own ports.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4174);
export const baseURL = `http://127.0.0.1:${PORT}`;
/** The tests' local push service (test/support/push-receiver.ts), the only one this server pushes to. */
export const E2E_PUSH_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PUSH_PORT ?? 4176)}`;

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : [['list'], ['html', { open: 'never' }]],
  outputDir: '.tmp/e2e-results',
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    serviceWorkers: 'allow',
    viewport: { width: 390, height: 844 }, // phone-sized first
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'bash scripts/e2e-server.sh',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      PUBLIC_URL: baseURL,
      DATA_DIR: '.tmp/e2e-data',
      // Postgres and the dev mailbox take free ports (the fixtures read Postgres's from the data
      // folder), so the tests run beside a dev server; E2E_PG_PORT pins Postgres's.
      ...(process.env.E2E_PG_PORT ? { EMBEDDED_PG_PORT: process.env.E2E_PG_PORT } : {}),
      DEV_SMTP_PORT: '0',
      PUSH_SERVICES: E2E_PUSH_ORIGIN,
      LOG_LEVEL: 'warn',
    },
  },
});
