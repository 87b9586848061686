// Reads one line from the terminal without showing it (a password): raw mode, no echo.
// Backspace deletes, Enter ends, Ctrl+C or Ctrl+D on an empty line cancels.

export class CancelledError extends Error {
  override name = 'CancelledError';
}

export function askHidden(
  prompt: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stdout,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && value === ''))
          return finish(new CancelledError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch === '\u001b')
          return; // an arrow or function key: the rest of the chunk is its sequence
        else if (ch >= ' ') value += ch;
      }
    };
    // No echo before the prompt shows, so nothing typed at once appears either.
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
    output.write(prompt);
  });
}
