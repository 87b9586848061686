// Starting `npm start`'s server as a real child process, for tests that signal or kill it.
import { type ChildProcess, spawn } from 'node:child_process';

const children: ChildProcess[] = [];

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** stdout and stderr, interleaved as they came. */
  output(): string;
  /** stderr alone. */
  errors(): string;
  /** Resolves once the server printed its banner; rejects if it exits first. */
  ready(): Promise<void>;
}

export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DEV_SMTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  let errors = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
    errors += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    errors: () => errors,
    ready: () =>
      waitFor(
        () => output.includes('Press Ctrl+C to stop.'),
        () => child.exitCode !== null || child.signalCode !== null,
        () => `(exit code ${child.exitCode}, signal ${child.signalCode})\n${output}`,
      ),
  };
}

/** SIGKILLs every server a test file started and left running. */
export function killAllServers(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

async function waitFor(
  done: () => boolean,
  failed: () => boolean,
  /** What the server said, read when it failed (it may still be writing when this starts). */
  said: () => string,
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (failed()) throw new Error(`The server exited before it was ready ${said()}`);
    if (Date.now() > deadline) throw new Error('The server did not get ready in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
