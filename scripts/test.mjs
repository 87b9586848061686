#!/usr/bin/env node
// `npm test`: every layer, in order, stopping at the first failure — typecheck, lint, unit,
// build, integration (real embedded Postgres, real SMTP), end-to-end (Debian's Chromium).
// Installs Chromium with apt-get when it is missing and we are root; otherwise says how.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${label} failed after ${seconds} s.`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${label} (${seconds} s)`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `The end-to-end tests need Debian's Chromium at ${CHROMIUM}, and it is missing.\n` +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium\n' +
        '(or set CHROMIUM_PATH to a Chromium binary), then run npm test again.',
    );
    process.exit(1);
  }
  run('Install Chromium (apt-get update)', 'apt-get', ['update'], { DEBIAN_FRONTEND: 'noninteractive' });
  run('Install Chromium', 'apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
    DEBIAN_FRONTEND: 'noninteractive',
  });
}

const started = Date.now();
ensureChromium();
const bin = (name) => `node_modules/.bin/${name}`;
run('Typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
run('Lint', bin('biome'), ['check', '.']);
run('Unit tests', bin('vitest'), ['run', '--project', 'unit']);
run('Build the apps', bin('vite'), ['build', '--logLevel', 'warn']);
run('Integration tests', bin('vitest'), ['run', '--project', 'integration']);
run('End-to-end tests', bin('playwright'), ['test'], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
console.log(`\nAll tests passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
