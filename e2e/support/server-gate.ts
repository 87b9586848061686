// Taking the server away for real (DESIGN §6: `setOffline` does not stop a service worker's or a
// dedicated worker's own fetches). The browser reaches the e2e server through this gate, a plain
// TCP relay on its own port; `close()` drops every open connection and refuses new ones, exactly
// as a server that went away, and `open()` lets connections through again.
import net from 'node:net';
import { baseURL } from '../../playwright.config.ts';

export interface ServerGate {
  /** The app as the browser sees it, through the gate. */
  readonly url: string;
  close(): Promise<void>;
  open(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServerGate(port = Number(process.env.E2E_GATE_PORT ?? 4175)): Promise<ServerGate> {
  const target = new URL(baseURL);
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve();
      });
    });

  const shut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });

  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    close: shut,
    open: async () => {
      if (!server) await listen();
    },
    stop: shut,
  };
}
