// A tiny levelled logger: the server's output is for a person at a terminal.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

export function createLogger(level: LogLevel): Logger {
  const on = (l: LogLevel) => order[l] >= order[level];
  return {
    debug: (m) => on('debug') && console.debug(m),
    info: (m) => on('info') && console.log(m),
    warn: (m) => on('warn') && console.warn(`warning: ${m}`),
    error: (m, e) => on('error') && console.error(`error: ${m}`, e ?? ''),
  } as Logger;
}
