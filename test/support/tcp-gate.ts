// A TCP relay between a browser and the server, for the end-to-end tests and benchmarks that
// take the server away for real (DESIGN §6: `setOffline` stops neither a service worker's nor a
// dedicated worker's own fetches). `close()` drops every open connection and refuses new ones,
// as a server that went away; `open()` lets connections through again. It also counts the
// bytes it relays, so "bytes fetched" is counted once, on the wire, whoever fetched them (the
// page, its dedicated worker or its service worker), and attributes them to the request path
// they answered. N.b. that attribution reads HTTP/1.1 request lines at the start of what the
// client sends, and relies on a connection carrying one request at a time (browsers do not
// pipeline); HTTP/2 or TLS would defeat it (the server speaks neither).
import net from 'node:net';

const REQUEST_LINE = /^(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/;

export interface RelayedBytes {
  /** Server → browser. */
  readonly down: number;
  /** Browser → server. */
  readonly up: number;
  /** Server → browser, by the path (without the query) of the request each byte answered. */
  readonly byPath: ReadonlyMap<string, number>;
}

export interface TcpGate {
  /** The server as the browser sees it, through the gate. */
  readonly url: string;
  /** Bytes relayed since the gate started. */
  bytes(): RelayedBytes;
  close(): Promise<void>;
  open(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpGate(options: {
  readonly port: number;
  readonly targetPort: number;
  readonly targetHost?: string;
}): Promise<TcpGate> {
  const host = options.targetHost ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let down = 0;
  let up = 0;
  const byPath = new Map<string, number>();

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(options.targetPort, host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        let path = '(before any request)';
        client.on('data', (chunk: Buffer) => {
          up += chunk.length;
          const line = REQUEST_LINE.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 4096)));
          if (line) path = (line[1] as string).split('?')[0] as string;
        });
        upstream.on('data', (chunk: Buffer) => {
          down += chunk.length;
          byPath.set(path, (byPath.get(path) ?? 0) + chunk.length);
        });
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      s.once('error', reject);
      s.listen(options.port, '127.0.0.1', () => {
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
    url: `http://127.0.0.1:${options.port}`,
    bytes: () => ({ down, up, byPath: new Map(byPath) }),
    close: shut,
    open: async () => {
      if (!server) await listen();
    },
    stop: shut,
  };
}
