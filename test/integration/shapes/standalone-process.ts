// `npm run shapes` as a real process (tsx server/shape-service/main.ts), for the standalone and
// proxy tests: started with an environment, ready when /v1/health answers, stopped by SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../free-port.ts';

export interface ShapesProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  ready(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '../../..');

export async function spawnShapes(env: Record<string, string>, args: string[] = []): Promise<ShapesProcess> {
  const port = env.ELECTRIC_PORT ?? String(await freePort());
  const clean = { ...process.env };
  for (const k of [
    'DATABASE_URL',
    'ELECTRIC_SECRET',
    'ELECTRIC_INSECURE',
    'ELECTRIC_ENABLE_INTEGRATION_TESTING',
    'ELECTRIC_STORAGE_DIR',
    'ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD',
  ])
    delete clean[k];
  // Kept shapes go to a fresh folder unless the test names one (not ./persistent in the repo).
  const storage = env.ELECTRIC_STORAGE_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'shapes-standalone-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/shape-service/main.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, LOG_LEVEL: 'info', ELECTRIC_STORAGE_DIR: storage, ...env, ELECTRIC_PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    out += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    exited,
    output: () => out,
    async ready() {
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`npm run shapes exited: ${out}`);
        const ok = await fetch(`${url}/v1/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`npm run shapes never answered: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
