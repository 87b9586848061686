// Ports the server listens on or starts things on. A port set in the environment is taken
// as an order (in use: a sentence, no start); a default one is only a preference, so two
// copies side by side (a dev server and the tests, two data folders) do not collide.
import net from 'node:net';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Whether nothing listens on `host:port` right now (a probe: it may be taken a moment later). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A port the system says is free now. */
export function anyFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The first of `preferred` that is free, else any free port. */
export async function pickPort(
  preferred: readonly (number | undefined)[],
  host = '127.0.0.1',
): Promise<number> {
  for (const port of preferred) {
    if (port !== undefined && port > 0 && (await isPortFree(port, host))) return port;
  }
  return anyFreePort(host);
}
