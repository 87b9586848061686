// `npm run create-admin` as a person runs it: without a terminal (pipes), or at one (a
// pseudo-terminal from util-linux's `script`, so stdin.isTTY is true and nothing typed is echoed
// unless the command echoes it).
import { spawn } from 'node:child_process';

const COMMAND = [process.execPath, '--import', 'tsx', 'server/cli/create-admin.ts'];

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** No terminal: stdin is /dev/null, stdout and stderr are pipes. */
export function createAdminCommand(args: string[], env: Record<string, string>): Promise<CommandResult> {
  const [node, ...rest] = COMMAND as [string, ...string[]];
  const child = spawn(node, [...rest, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * At a terminal: each time a password prompt shows, types the next of `answers` and Enter.
 * Resolves with everything the terminal showed.
 */
export function createAdminAtTerminal(
  args: string[],
  env: Record<string, string>,
  answers: string[],
): Promise<{ code: number | null; screen: string }> {
  const command = [...COMMAND, ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let typed = 0;
  const onOutput = (d: Buffer) => {
    screen += d;
    const prompts = screen.match(/(not shown\)|again): /g)?.length ?? 0;
    while (typed < prompts && typed < answers.length) child.stdin.write(`${answers[typed++]}\r`);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, screen: screen.replaceAll('\r\n', '\n') });
    }),
  );
}
