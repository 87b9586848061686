import { defineConfig } from 'vitest/config';

// Two layers: `unit` (pure rules, no I/O, fast) and `integration` (real embedded Postgres,
// real SMTP capture; one database cluster per run, started in globalSetup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'server/domain/**/*.test.ts',
            'server/shape-service/**/*.test.ts',
            'server/push/**/*.test.ts',
            'test/architecture/**/*.test.ts',
            'client/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
