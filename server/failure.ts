// How a failure to start (the server, a command) reads at a terminal: its sentence once, never
// a stack trace. An error the product names (PortInUseError, ConfigError, …) is a sentence
// written for a person; anything else is a bug or broken infrastructure, so its message comes
// with a pointer to LOG_LEVEL=debug, which shows the stack.
const UNNAMED = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'AggregateError',
]);

export function describeFailure(error: unknown, debug = false): string {
  if (!(error instanceof Error)) return String(error);
  if (!UNNAMED.has(error.name)) return error.message;
  if (debug && error.stack) return error.stack;
  return `${error.message || error.name} (run with LOG_LEVEL=debug to see where it happened)`;
}
