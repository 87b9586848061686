// Reading a request body with a limit, in plain Node: the shape service's POST and the
// product's tRPC requests both use it (server/http/request-limits.ts).
import type { IncomingMessage } from 'node:http';

/**
 * The body as text, or `'too-large'` when it passes `maxBytes`: a Content-Length over the
 * limit is refused before a byte is read, a chunked body the moment it passes the limit. A
 * refused body is left unread (the request is paused), so its answer should close the connection.
 */
export function readBodyText(req: IncomingMessage, maxBytes: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      req.pause();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stopReading();
        req.pause();
        chunks.length = 0;
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stopReading();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      stopReading();
      reject(error);
    };
    const stopReading = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
