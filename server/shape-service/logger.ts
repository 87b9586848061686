// How the shape service speaks: a host (the product server, or main.ts when it runs alone)
// hands it any object with these four methods. The service owns this interface so that it
// imports nothing of the product that embeds it.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** Console output at `level` and above: what `npm run shapes` uses. */
export function consoleLogger(level: LogLevel): Logger {
  const on = (l: LogLevel) => ORDER[l] >= ORDER[level];
  return {
    debug: (m) => void (on('debug') && console.debug(m)),
    info: (m) => void (on('info') && console.log(m)),
    warn: (m) => void (on('warn') && console.warn(`warning: ${m}`)),
    error: (m, e) => void (on('error') && console.error(`error: ${m}`, e ?? '')),
  };
}
